using System.Xml.Linq;
using WeChatMall.WeChat.OfficialAccount;

namespace WeChatMall.Sandbox.Followers;

public sealed record ArticleView(string? Title, string? Description, string? PicUrl, string? Url);

/// <summary>A passive reply as the follower would see it (docs/wechat-protocol.md#passive-replies).</summary>
public sealed record ReplyView(
    string MsgType, string? Content, string? MediaId, IReadOnlyList<ArticleView>? Articles, string ToUserName, string FromUserName)
{
    /// <summary>The text shown for the reply in the message log.</summary>
    public string? Summary => Content ?? Articles?.FirstOrDefault()?.Title ?? MediaId
        ?? (MsgType == "transfer_customer_service" ? "(handed to customer service)" : null);

    public static ReplyView Parse(string xml)
    {
        var root = SafeXml.Parse(xml);
        var msgType = root.Child("MsgType") ?? throw new WeChatXmlException(WeChatXmlError.MissingField, "MsgType is missing.");
        var media = root.Elements().FirstOrDefault(e => e.Name.LocalName is "Image" or "Voice" or "Video")?.Child("MediaId");
        var articles = root.Element("Articles")?.Elements("item").Select(Article).ToList();
        return new(msgType, root.Child("Content"), media, articles, root.Child("ToUserName") ?? "", root.Child("FromUserName") ?? "");
    }

    static ArticleView Article(XElement item) =>
        new(item.Child("Title"), item.Child("Description"), item.Child("PicUrl"), item.Child("Url"));
}
