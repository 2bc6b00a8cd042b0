using System.Text.RegularExpressions;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>A customer-service image: a media_id from WeChat's media upload (cgi-bin/media/upload).</summary>
public sealed record CustomImage(string MediaId);

/// <summary>A customer-service news card: one article (WeChat shows only one), opening an https page.</summary>
public sealed record CustomNews(string Title, string? Description, string Url, string? PicUrl);

/// <summary>A customer-service mini-program card: the mini-program must be linked to the Official Account.</summary>
public sealed record CustomMiniProgramCard(string Title, string AppId, string PagePath, string ThumbMediaId);

/// <summary>
/// The field rules of the customer-service kinds other than text
/// (https://developers.weixin.qq.com/doc/offiaccount/Customer_Service/Service_Center_messages.html). WeChat states no
/// lengths for these; ours are what its cards show without cutting, and links must be https.
/// </summary>
public static partial class CustomContent
{
    public const int MaxTitle = 64;
    public const int MaxDescription = 120;
    public const int MaxUrl = 1_024;
    public const int MaxMediaId = 128;

    /// <summary>Problems ("text.news.title: …"); empty when the kinds given can be sent. At most one kind per campaign.</summary>
    public static IEnumerable<string> Check(CampaignContent content)
    {
        var kinds = new object?[] { content.Text, content.Image, content.News, content.MiniProgram }.Count(k => k is not null);
        if (kinds > 1) yield return "text: give one of text, image, news, miniProgram (a recipient gets one customer-service message)";
        if (content.Image is { } image && Missing(image.MediaId, MaxMediaId) is { } m) yield return "text.image.mediaId: " + m;
        if (content.News is { } news)
        {
            if (Missing(news.Title, MaxTitle) is { } t) yield return "text.news.title: " + t;
            if (news.Description is { Length: > MaxDescription }) yield return $"text.news.description: at most {MaxDescription} characters";
            if (Https(news.Url, required: true) is { } u) yield return "text.news.url: " + u;
            if (Https(news.PicUrl, required: false) is { } p) yield return "text.news.picUrl: " + p;
        }
        if (content.MiniProgram is { } card)
        {
            if (Missing(card.Title, MaxTitle) is { } t) yield return "text.miniProgram.title: " + t;
            if (string.IsNullOrEmpty(card.AppId) || !AppId().IsMatch(card.AppId)) yield return "text.miniProgram.appId: a mini-program AppID (wx + 16 hex digits)";
            if (Missing(card.PagePath, MaxUrl) is { } p) yield return "text.miniProgram.pagePath: " + p;
            else if (card.PagePath.StartsWith('/') || card.PagePath.Contains("://", StringComparison.Ordinal))
                yield return "text.miniProgram.pagePath: a page of the mini-program such as pages/index/index?id=1 (no leading /)";
            if (Missing(card.ThumbMediaId, MaxMediaId) is { } th) yield return "text.miniProgram.thumbMediaId: " + th;
        }
    }

    static string? Missing(string? value, int max) =>
        string.IsNullOrWhiteSpace(value) ? "required" : value.Length > max ? $"at most {max} characters" : null;

    static string? Https(string? url, bool required)
    {
        if (string.IsNullOrWhiteSpace(url)) return required ? "required" : null;
        if (url.Length > MaxUrl) return $"at most {MaxUrl} characters";
        return Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps && !string.IsNullOrEmpty(u.Host)
            ? null : "an absolute https:// URL";
    }

    [GeneratedRegex("^wx[0-9a-f]{16}$")]
    private static partial Regex AppId();
}
