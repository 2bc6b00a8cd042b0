namespace WeChatMall.WeChat.Api;

/// <summary>Which appid a token belongs to: the OA and the mini-program each have their own (docs/wechat-protocol.md#access-token).</summary>
public enum WeChatApp { OfficialAccount, MiniProgram }
