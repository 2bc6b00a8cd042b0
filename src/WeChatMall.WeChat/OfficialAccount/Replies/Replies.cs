using WeChatMall.WeChat.OfficialAccount.Inbound;

namespace WeChatMall.WeChat.OfficialAccount.Replies;

/// <summary>Reply MsgType <c>text</c> (docs/wechat-protocol.md#passive-replies); Content may contain newlines and &lt;a href&gt; links.</summary>
public sealed record TextReply(string ToUserName, string FromUserName, long CreateTime, string Content)
    : PassiveReply(ToUserName, FromUserName, CreateTime)
{
    protected override string MsgType => "text";
    private protected override void WriteBody(XmlFragmentWriter w) => w.Cdata("Content", Content);

    public static TextReply To(InboundMessage inbound, long createTime, string content)
        => new(inbound.FromUserName, inbound.ToUserName, createTime, content);
}

/// <summary>Reply MsgType <c>image</c> (docs/wechat-protocol.md#passive-replies).</summary>
public sealed record ImageReply(string ToUserName, string FromUserName, long CreateTime, string MediaId)
    : PassiveReply(ToUserName, FromUserName, CreateTime)
{
    protected override string MsgType => "image";
    private protected override void WriteBody(XmlFragmentWriter w) => w.Open("Image").Cdata("MediaId", MediaId).Close("Image");

    public static ImageReply To(InboundMessage inbound, long createTime, string mediaId)
        => new(inbound.FromUserName, inbound.ToUserName, createTime, mediaId);
}

/// <summary>Reply MsgType <c>voice</c> (docs/wechat-protocol.md#passive-replies).</summary>
public sealed record VoiceReply(string ToUserName, string FromUserName, long CreateTime, string MediaId)
    : PassiveReply(ToUserName, FromUserName, CreateTime)
{
    protected override string MsgType => "voice";
    private protected override void WriteBody(XmlFragmentWriter w) => w.Open("Voice").Cdata("MediaId", MediaId).Close("Voice");

    public static VoiceReply To(InboundMessage inbound, long createTime, string mediaId)
        => new(inbound.FromUserName, inbound.ToUserName, createTime, mediaId);
}

/// <summary>Reply MsgType <c>video</c> (docs/wechat-protocol.md#passive-replies).</summary>
public sealed record VideoReply(string ToUserName, string FromUserName, long CreateTime, string MediaId, string Title, string Description)
    : PassiveReply(ToUserName, FromUserName, CreateTime)
{
    protected override string MsgType => "video";
    private protected override void WriteBody(XmlFragmentWriter w) => w.Open("Video").Cdata("MediaId", MediaId)
        .Cdata("Title", Title).Cdata("Description", Description).Close("Video");

    public static VideoReply To(InboundMessage inbound, long createTime, string mediaId, string title, string description)
        => new(inbound.FromUserName, inbound.ToUserName, createTime, mediaId, title, description);
}
