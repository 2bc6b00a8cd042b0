namespace WeChatMall.WeChat.Tests.OfficialAccount.Inbound;

static class InboundSamples
{
    const string Head = "<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[oUSER]]></FromUserName><CreateTime>1348831860</CreateTime>";

    public static string Message(string type, string body) => $"{Head}<MsgType><![CDATA[{type}]]></MsgType>{body}</xml>";

    public static string Event(string name, string body) => Message("event", $"<Event><![CDATA[{name}]]></Event>{body}");
}
