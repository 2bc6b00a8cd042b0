using System.Collections.Concurrent;

namespace WeChatMall.WeChat.Api;

/// <summary>Single-process <see cref="IAccessTokenStore"/> (docs/wechat-protocol.md#shared-token); the default until the app registers a shared one.</summary>
public sealed class InMemoryAccessTokenStore(TimeProvider time) : IAccessTokenStore
{
    readonly ConcurrentDictionary<string, CachedAccessToken> _tokens = new(StringComparer.Ordinal);
    readonly Dictionary<string, (string LockId, DateTimeOffset Until)> _locks = new(StringComparer.Ordinal);

    public ValueTask<CachedAccessToken?> GetAsync(string appId, CancellationToken ct)
        => ValueTask.FromResult(_tokens.TryGetValue(appId, out var t) && t.ExpiresAt > time.GetUtcNow() ? t : null);

    public ValueTask SetAsync(string appId, CachedAccessToken token, CancellationToken ct)
    {
        _tokens[appId] = token;
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeleteIfMatchesAsync(string appId, string tokenValue, CancellationToken ct)
    {
        var deleted = _tokens.TryGetValue(appId, out var current) && current.Value == tokenValue
            && _tokens.TryRemove(KeyValuePair.Create(appId, current));
        return ValueTask.FromResult(deleted);
    }

    public ValueTask<bool> TryAcquireRefreshLockAsync(string appId, string lockId, TimeSpan ttl, CancellationToken ct)
    {
        lock (_locks)
        {
            var now = time.GetUtcNow();
            if (_locks.TryGetValue(appId, out var held) && held.Until > now)
                return ValueTask.FromResult(false);
            _locks[appId] = (lockId, now + ttl);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask ReleaseRefreshLockAsync(string appId, string lockId, CancellationToken ct)
    {
        lock (_locks)
        {
            if (_locks.TryGetValue(appId, out var held) && held.LockId == lockId)
                _locks.Remove(appId);
        }
        return ValueTask.CompletedTask;
    }
}
