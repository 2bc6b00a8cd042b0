using WeChatMall.WeChat.OfficialAccount.Inbound;

namespace WeChatMall.WeChat.OfficialAccount.Replies;

/// <summary>Reply MsgType <c>music</c> (docs/wechat-protocol.md#passive-replies).</summary>
public sealed record MusicReply(string ToUserName, string FromUserName, long CreateTime,
    string Title, string Description, string MusicUrl, string HqMusicUrl, string ThumbMediaId)
    : PassiveReply(ToUserName, FromUserName, CreateTime)
{
    protected override string MsgType => "music";
    private protected override void WriteBody(XmlFragmentWriter w) => w.Open("Music")
        .Cdata("Title", Title).Cdata("Description", Description).Cdata("MusicUrl", MusicUrl)
        .Cdata("HQMusicUrl", HqMusicUrl).Cdata("ThumbMediaId", ThumbMediaId).Close("Music");

    public static MusicReply To(InboundMessage inbound, long createTime,
        string title, string description, string musicUrl, string hqMusicUrl, string thumbMediaId)
        => new(inbound.FromUserName, inbound.ToUserName, createTime, title, description, musicUrl, hqMusicUrl, thumbMediaId);
}

/// <summary>One article of a <see cref="NewsReply"/>.</summary>
public sealed record NewsArticle(string Title, string Description, string PicUrl, string Url);

/// <summary>Reply MsgType <c>news</c> (docs/wechat-protocol.md#passive-replies). Only one article is reliably shown since 2018.</summary>
public sealed record NewsReply(string ToUserName, string FromUserName, long CreateTime, IReadOnlyList<NewsArticle> Articles)
    : PassiveReply(ToUserName, FromUserName, CreateTime)
{
    protected override string MsgType => "news";

    private protected override void WriteBody(XmlFragmentWriter w)
    {
        w.Number("ArticleCount", Articles.Count).Open("Articles");
        foreach (var a in Articles)
            w.Open("item").Cdata("Title", a.Title).Cdata("Description", a.Description)
             .Cdata("PicUrl", a.PicUrl).Cdata("Url", a.Url).Close("item");
        w.Close("Articles");
    }

    public static NewsReply To(InboundMessage inbound, long createTime, params NewsArticle[] articles)
        => new(inbound.FromUserName, inbound.ToUserName, createTime, articles);
}

/// <summary>Reply MsgType <c>transfer_customer_service</c> (docs/wechat-protocol.md#passive-replies): hands the message to customer service.</summary>
public sealed record TransferCustomerServiceReply(string ToUserName, string FromUserName, long CreateTime, string? KfAccount = null)
    : PassiveReply(ToUserName, FromUserName, CreateTime)
{
    protected override string MsgType => "transfer_customer_service";

    private protected override void WriteBody(XmlFragmentWriter w)
    {
        if (!string.IsNullOrEmpty(KfAccount))
            w.Open("TransInfo").Cdata("KfAccount", KfAccount).Close("TransInfo");
    }

    public static TransferCustomerServiceReply To(InboundMessage inbound, long createTime, string? kfAccount = null)
        => new(inbound.FromUserName, inbound.ToUserName, createTime, kfAccount);
}
