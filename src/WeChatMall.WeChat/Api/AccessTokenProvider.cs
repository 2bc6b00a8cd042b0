using Microsoft.Extensions.Logging;

namespace WeChatMall.WeChat.Api;

/// <summary>
/// The access_token of one appid (获取稳定版接口调用凭据, docs/wechat-protocol.md#access-token, docs/wechat-protocol.md#shared-token), cached in the shared
/// <see cref="IAccessTokenStore"/>. Refreshes through <c>POST /cgi-bin/stable_token</c> (force_refresh=false) when
/// less than <see cref="RefreshMargin"/> is left, under the store's lock so only one instance calls WeChat.
/// </summary>
public sealed partial class AccessTokenProvider
{
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    static readonly TimeSpan LockTtl = TimeSpan.FromSeconds(10);
    static readonly TimeSpan WaitStep = TimeSpan.FromMilliseconds(100);
    static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(15);

    readonly WeChatApp _app;
    readonly IAccessTokenStore _store;
    readonly WeChatHttp _http;
    readonly TimeProvider _time;
    readonly ILogger _logger;

    internal AccessTokenProvider(WeChatApp app, IAccessTokenStore store, WeChatHttp http, TimeProvider time, ILogger logger)
        => (_app, _store, _http, _time, _logger) = (app, store, http, time, logger);

    public WeChatApp App => _app;

    public string AppId => _app == WeChatApp.OfficialAccount ? _http.Options.OfficialAccount.AppId : _http.Options.MiniProgram.AppId;

    string Secret => _app == WeChatApp.OfficialAccount ? _http.Options.OfficialAccount.AppSecret : _http.Options.MiniProgram.AppSecret;

    public async Task<string> GetTokenAsync(CancellationToken ct)
    {
        var appId = AppId;
        var deadline = _time.GetUtcNow() + MaxWait;
        while (true)
        {
            var cached = await _store.GetAsync(appId, ct);
            if (IsFresh(cached)) return cached!.Value;

            var lockId = Guid.NewGuid().ToString("N");
            if (await _store.TryAcquireRefreshLockAsync(appId, lockId, LockTtl, ct))
            {
                try
                {
                    // Someone may have refreshed between our read and taking the lock.
                    cached = await _store.GetAsync(appId, ct);
                    if (IsFresh(cached)) return cached!.Value;
                    var fresh = await FetchAsync(appId, ct);
                    await _store.SetAsync(appId, fresh, ct);
                    Log.TokenRefreshed(_logger, _app, fresh.ExpiresAt);
                    return fresh.Value;
                }
                catch (Exception e) when (e is not OperationCanceledException && cached is not null && cached.ExpiresAt > _time.GetUtcNow())
                {
                    // A proactive refresh failed but the cached token has not expired yet: keep serving it.
                    Log.ProactiveRefreshFailed(_logger, e, _app);
                    return cached.Value;
                }
                finally
                {
                    await _store.ReleaseRefreshLockAsync(appId, lockId, CancellationToken.None);
                }
            }

            // Another instance is refreshing. A token inside the margin still works (WeChat keeps the old one valid
            // for 5 minutes after rotating), so use it rather than wait.
            if (cached is not null && cached.ExpiresAt > _time.GetUtcNow()) return cached.Value;
            if (_time.GetUtcNow() > deadline)
                throw new TimeoutException($"No access_token for {_app} after waiting for another refresher.");
            await Task.Delay(WaitStep, _time, ct);
        }
    }

    /// <summary>Drops the cached token only if it is still <paramref name="failedToken"/> (compare-and-delete).</summary>
    public async Task InvalidateAsync(string failedToken, CancellationToken ct)
    {
        if (await _store.DeleteIfMatchesAsync(AppId, failedToken, ct))
            Log.TokenInvalidated(_logger, _app);
    }

    bool IsFresh(CachedAccessToken? t) => t is not null && t.ExpiresAt - _time.GetUtcNow() > RefreshMargin;

    async Task<CachedAccessToken> FetchAsync(string appId, CancellationToken ct)
    {
        const string path = "cgi-bin/stable_token";
        var body = new { grant_type = "client_credential", appid = appId, secret = Secret, force_refresh = false };
        var json = await _http.SendAsync(WeChatHttp.TokenClient, HttpMethod.Post, path, _http.Url(path, []), body, ct);
        var seconds = json.Long("expires_in");
        return new CachedAccessToken(json.Required("access_token", path), _time.GetUtcNow().AddSeconds(seconds));
    }

    static partial class Log
    {
        [LoggerMessage(2001, LogLevel.Information, "WeChat {App} access_token refreshed, valid until {ExpiresAt}")]
        public static partial void TokenRefreshed(ILogger logger, WeChatApp app, DateTimeOffset expiresAt);

        [LoggerMessage(2003, LogLevel.Warning, "WeChat {App} access_token refresh failed; using the cached token until it expires")]
        public static partial void ProactiveRefreshFailed(ILogger logger, Exception exception, WeChatApp app);

        [LoggerMessage(2002, LogLevel.Warning, "WeChat {App} access_token rejected by WeChat and dropped from the store")]
        public static partial void TokenInvalidated(ILogger logger, WeChatApp app);
    }
}
