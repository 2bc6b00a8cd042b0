namespace WeChatMall.WeChat.OfficialAccount.Replies;

/// <summary>
/// A passive reply (被动回复用户消息, docs/wechat-protocol.md#passive-replies). <see cref="ToXml"/> writes WeChat's exact form: CDATA strings, bare numbers.
/// Build one with <c>XxxReply.To(inbound, createTime, …)</c>, which swaps ToUserName and FromUserName.
/// </summary>
public abstract record PassiveReply(string ToUserName, string FromUserName, long CreateTime)
{
    /// <summary>The body meaning "received, no reply" (an empty body works too); it is never encrypted.</summary>
    public const string SuccessBody = "success";

    protected abstract string MsgType { get; }

    public string ToXml()
    {
        var w = new XmlFragmentWriter()
            .Cdata("ToUserName", ToUserName).Cdata("FromUserName", FromUserName)
            .Number("CreateTime", CreateTime).Cdata("MsgType", MsgType);
        WriteBody(w);
        return w.ToXml();
    }

    private protected abstract void WriteBody(XmlFragmentWriter w);
}
