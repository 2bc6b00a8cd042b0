namespace WeChatMall.WeChat.Api;

/// <summary>Which appid a token belongs to: the OA and the mini-program each have their own (§4.1).</summary>
public enum WeChatApp { OfficialAccount, MiniProgram }
