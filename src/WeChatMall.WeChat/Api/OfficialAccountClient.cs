namespace WeChatMall.WeChat.Api;

/// <summary>
/// Official Account server APIs (docs/wechat-protocol.md#official-account-apis): customer-service and template messages, QR codes, menu, users, tags and
/// mass send. Uses the OA access_token; token errors are retried once with a fresh token.
/// </summary>
public sealed partial class OfficialAccountClient
{
    readonly WeChatApiCaller _api;

    internal OfficialAccountClient(WeChatApiCaller api) => _api = api;

    /// <summary><c>cgi-bin/message/custom/send</c> text; only inside the user's interaction window (45015 outside).</summary>
    public Task SendCustomTextAsync(string openId, string content, CancellationToken ct)
        => _api.PostAsync("cgi-bin/message/custom/send", new { touser = openId, msgtype = "text", text = new { content } }, ct);

    public Task SendCustomImageAsync(string openId, string mediaId, CancellationToken ct)
        => _api.PostAsync("cgi-bin/message/custom/send", new { touser = openId, msgtype = "image", image = new { media_id = mediaId } }, ct);

    public Task SendCustomNewsAsync(string openId, CustomNewsArticle article, CancellationToken ct)
        => _api.PostAsync("cgi-bin/message/custom/send", new
        {
            touser = openId, msgtype = "news",
            news = new { articles = new[] { new { title = article.Title, description = article.Description, url = article.Url, picurl = article.PicUrl } } },
        }, ct);

    public Task SendCustomMiniProgramPageAsync(string openId, MiniProgramPageCard card, CancellationToken ct)
        => _api.PostAsync("cgi-bin/message/custom/send", new
        {
            touser = openId, msgtype = "miniprogrampage",
            miniprogrampage = new { title = card.Title, appid = card.AppId, pagepath = card.PagePath, thumb_media_id = card.ThumbMediaId },
        }, ct);

    /// <summary><c>cgi-bin/message/template/send</c>; returns the msgid echoed later by TEMPLATESENDJOBFINISH.</summary>
    public async Task<long> SendTemplateAsync(TemplateMessage message, CancellationToken ct)
    {
        var json = await _api.PostAsync("cgi-bin/message/template/send", new
        {
            touser = message.ToUser,
            template_id = message.TemplateId,
            url = message.Url,
            miniprogram = message.MiniProgram is { } mp ? new { appid = mp.AppId, pagepath = mp.PagePath } : null,
            client_msg_id = message.ClientMsgId,
            data = message.Data.ToDictionary(kv => kv.Key, kv => new { value = kv.Value }),
        }, ct);
        return json.Long("msgid");
    }
}

/// <summary>One article of a customer-service news message (docs/wechat-protocol.md#customer-service-messages).</summary>
public sealed record CustomNewsArticle(string Title, string Description, string Url, string PicUrl);

/// <summary>A mini-program page card for customer-service messages (docs/wechat-protocol.md#customer-service-messages); ThumbMediaId from the media API.</summary>
public sealed record MiniProgramPageCard(string Title, string AppId, string PagePath, string ThumbMediaId);

/// <summary>A mini-program target of a template message (docs/wechat-protocol.md#template-messages).</summary>
public sealed record MiniProgramTarget(string AppId, string PagePath);

/// <summary>
/// Template message (docs/wechat-protocol.md#template-messages). <see cref="ClientMsgId"/> is WeChat's idempotency key: resend with the same one.
/// <see cref="Data"/> maps keyword names (e.g. <c>thing1</c>) to values.
/// </summary>
public sealed record TemplateMessage(string ToUser, string TemplateId, IReadOnlyDictionary<string, string> Data,
    string? Url = null, MiniProgramTarget? MiniProgram = null, string? ClientMsgId = null);
