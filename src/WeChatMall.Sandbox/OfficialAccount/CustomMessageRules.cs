using System.Text.Json;
using System.Text.RegularExpressions;

namespace WeChatMall.Sandbox.OfficialAccount;

/// <summary>
/// What WeChat accepts in a customer-service message body
/// (https://developers.weixin.qq.com/doc/offiaccount/Customer_Service/Service_Center_messages.html): text, image
/// (media_id), news (one article with title and url) and mini-program cards (title, appid, pagepath, thumb_media_id).
/// </summary>
public static partial class CustomMessageRules
{
    /// <summary>0 when WeChat would take it; otherwise the errcode it answers.</summary>
    public static int Check(JsonElement body, string msgType)
    {
        if (!body.TryGetProperty(msgType, out var part) || part.ValueKind != JsonValueKind.Object) return 47001; // data format error
        string? S(JsonElement e, string name) => MessageEndpoints.Str(e, name) is { Length: > 0 } v ? v : null;
        switch (msgType)
        {
            case "text":
                return S(part, "content") is null ? 44003 : 0; // empty content
            case "image":
                return S(part, "media_id") is null ? 40007 : 0; // invalid media_id
            case "news":
                if (!part.TryGetProperty("articles", out var articles) || articles.ValueKind != JsonValueKind.Array || articles.GetArrayLength() == 0)
                    return 44002; // empty post data
                if (articles.GetArrayLength() > 1) return 45008; // article size out of limit
                return S(articles[0], "title") is null || S(articles[0], "url") is null ? 47001 : 0;
            case "miniprogrampage":
                if (S(part, "title") is null || S(part, "pagepath") is null) return 47001;
                if (S(part, "thumb_media_id") is null) return 40007;
                return S(part, "appid") is { } appId && AppId().IsMatch(appId) ? 0 : 40013; // invalid appid
            default:
                return 40008; // invalid message type
        }
    }

    [GeneratedRegex("^wx[0-9a-f]{16}$")]
    private static partial Regex AppId();
}
