using System.Buffers;

namespace WeChatMall.WeChat.Api;

/// <summary>Web OAuth scopes (网页授权, docs/wechat-protocol.md#web-oauth).</summary>
public enum OAuthScope { SnsapiBase, SnsapiUserInfo }

/// <summary>
/// Official Account web OAuth (网页授权, docs/wechat-protocol.md#web-oauth): authorize URL, code exchange and profile. These calls use the
/// user-scoped web token, not the OA access_token.
/// </summary>
public sealed class WeChatOAuthClient
{
    static readonly SearchValues<char> StateChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    readonly WeChatHttp _http;

    internal WeChatOAuthClient(WeChatHttp http) => _http = http;

    /// <summary>
    /// The URL to redirect the browser to. <paramref name="state"/> (1..128 of [A-Za-z0-9]) is the CSRF token:
    /// bind it to the session and compare it on return.
    /// </summary>
    public string BuildAuthorizeUrl(string redirectUri, OAuthScope scope, string state)
    {
        if (state is not { Length: >= 1 and <= 128 } || state.AsSpan().ContainsAnyExcept(StateChars))
            throw new ArgumentException("state must be 1..128 characters of [A-Za-z0-9].", nameof(state));
        var o = _http.Options;
        var scopeName = scope == OAuthScope.SnsapiBase ? "snsapi_base" : "snsapi_userinfo";
        return $"{o.OAuthBaseUrl.TrimEnd('/')}/connect/oauth2/authorize?appid={Uri.EscapeDataString(o.OfficialAccount.AppId)}"
            + $"&redirect_uri={Uri.EscapeDataString(redirectUri)}&response_type=code&scope={scopeName}&state={state}#wechat_redirect";
    }

    /// <summary><c>sns/oauth2/access_token</c>: the code is single-use and lives 5 minutes (40029, 40163).</summary>
    public async Task<OAuthAccessToken> ExchangeCodeAsync(string code, CancellationToken ct)
    {
        const string path = "sns/oauth2/access_token";
        var o = _http.Options.OfficialAccount;
        var url = _http.Url(path, [("appid", o.AppId), ("secret", o.AppSecret), ("code", code), ("grant_type", "authorization_code")]);
        var json = await _http.SendAsync(WeChatHttp.ApiClient, HttpMethod.Get, path, url, null, ct);
        return new OAuthAccessToken(json.Required("access_token", path), json.Long("expires_in"), json.Str("refresh_token") ?? "",
            json.Required("openid", path), json.Str("scope") ?? "", json.Str("unionid"), json.Long("is_snapshotuser") == 1);
    }

    /// <summary><c>sns/userinfo</c> (needs scope snsapi_userinfo).</summary>
    public async Task<OAuthUserInfo> GetUserInfoAsync(string webAccessToken, string openId, CancellationToken ct, string lang = "zh_CN")
    {
        const string path = "sns/userinfo";
        var url = _http.Url(path, [("access_token", webAccessToken), ("openid", openId), ("lang", lang)]);
        var json = await _http.SendAsync(WeChatHttp.ApiClient, HttpMethod.Get, path, url, null, ct);
        return new OAuthUserInfo(json.Required("openid", path), json.Str("nickname") ?? "", json.Str("headimgurl") ?? "", json.Str("unionid"));
    }
}

/// <summary>
/// Result of a code exchange (docs/wechat-protocol.md#web-oauth). <see cref="IsSnapshotUser"/> means a snapshot-page virtual account: the openid
/// is not a real user, so do not bind or create a member.
/// </summary>
public sealed record OAuthAccessToken(string AccessToken, long ExpiresIn, string RefreshToken, string OpenId,
    string Scope, string? UnionId, bool IsSnapshotUser);

/// <summary>Profile from <c>sns/userinfo</c> (docs/wechat-protocol.md#web-oauth).</summary>
public sealed record OAuthUserInfo(string OpenId, string Nickname, string HeadImgUrl, string? UnionId);
