using WeChatMall.WeChat.Api;

namespace WeChatMall.WeChat.MiniProgram;

/// <summary>
/// Mini-program server APIs (docs/wechat-protocol.md#mini-program): login (code2Session), phone number, subscribe messages and shipping-info upload.
/// Token calls use the mini-program's own access_token.
/// </summary>
public sealed partial class MiniProgramClient
{
    readonly WeChatApiCaller _api;

    internal MiniProgramClient(WeChatApiCaller api) => _api = api;

    /// <summary><c>sns/jscode2session</c>. Keep SessionKey on the server; never send it to the client.</summary>
    public async Task<MiniProgramSession> Code2SessionAsync(string jsCode, CancellationToken ct)
    {
        const string path = "sns/jscode2session";
        var http = _api.Http;
        var mp = http.Options.MiniProgram;
        var url = http.Url(path, [("appid", mp.AppId), ("secret", mp.AppSecret), ("js_code", jsCode), ("grant_type", "authorization_code")]);
        var json = await http.SendAsync(WeChatHttp.ApiClient, HttpMethod.Get, path, url, null, ct);
        return new MiniProgramSession(json.Required("openid", path), json.Required("session_key", path), json.Str("unionid"));
    }

    /// <summary>
    /// <c>wxa/business/getuserphonenumber</c> with the code in the JSON body; the watermark appid must be ours
    /// (a mismatch raises <see cref="WeChatErrorKind.InvalidResponse"/>).
    /// </summary>
    public async Task<PhoneNumberInfo> GetPhoneNumberAsync(string code, CancellationToken ct)
    {
        const string path = "wxa/business/getuserphonenumber";
        var json = await _api.PostAsync(path, new { code }, ct);
        if (!json.TryGetProperty("phone_info", out var info))
            throw new WeChatApiException(WeChatApiException.InvalidResponseCode, "response lacks 'phone_info'", path);
        var watermarkAppId = info.TryGetProperty("watermark", out var w) ? w.Str("appid") : null;
        if (watermarkAppId != _api.Http.Options.MiniProgram.AppId)
            throw new WeChatApiException(WeChatApiException.InvalidResponseCode, "watermark appid does not match", path);
        return new PhoneNumberInfo(info.Required("phoneNumber", path), info.Str("purePhoneNumber") ?? "", info.Str("countryCode") ?? "");
    }

    /// <summary><c>cgi-bin/message/subscribe/send</c>: one send per user consent (43101 without one).</summary>
    public Task SendSubscribeMessageAsync(SubscribeMessage message, CancellationToken ct)
        => _api.PostAsync("cgi-bin/message/subscribe/send", new
        {
            touser = message.ToUser,
            template_id = message.TemplateId,
            page = message.Page,
            miniprogram_state = message.MiniProgramState,
            lang = message.Lang,
            data = message.Data.ToDictionary(kv => kv.Key, kv => new { value = kv.Value }),
        }, ct);
}

/// <summary>Result of code2Session (docs/wechat-protocol.md#mini-program-login).</summary>
public sealed record MiniProgramSession(string OpenId, string SessionKey, string? UnionId);

/// <summary>Result of getuserphonenumber (docs/wechat-protocol.md#phone-number); CountryCode arrives as a string or a number.</summary>
public sealed record PhoneNumberInfo(string PhoneNumber, string PurePhoneNumber, string CountryCode);

/// <summary>
/// A subscribe message (docs/wechat-protocol.md#subscribe-messages). MiniProgramState is <c>developer</c>, <c>trial</c> or <c>formal</c> (default);
/// Lang is zh_CN, en_US, zh_HK or zh_TW.
/// </summary>
public sealed record SubscribeMessage(string ToUser, string TemplateId, IReadOnlyDictionary<string, string> Data,
    string? Page = null, string? MiniProgramState = null, string? Lang = null);
