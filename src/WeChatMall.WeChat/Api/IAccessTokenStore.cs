namespace WeChatMall.WeChat.Api;

/// <summary>An access_token and the instant it stops working.</summary>
public sealed record CachedAccessToken(string Value, DateTimeOffset ExpiresAt);

/// <summary>
/// Shared storage for the access_token of each appid (docs/wechat-protocol.md#shared-token), so that N app instances use one token and only one
/// of them calls WeChat to refresh it. All keys are scoped by <c>appId</c>; OA and mini-program never share entries.
/// The default <see cref="InMemoryAccessTokenStore"/> is correct for a single process only; register another
/// implementation (e.g. Redis) before or after <c>AddWeChat</c> to replace it.
/// Implementations must be thread-safe. Tokens are secrets: never log <see cref="CachedAccessToken.Value"/>.
/// </summary>
public interface IAccessTokenStore
{
    /// <summary>
    /// The token last stored for <paramref name="appId"/>, or null when there is none or it has reached
    /// <see cref="CachedAccessToken.ExpiresAt"/> (Redis: GET of a key written with an expiry).
    /// </summary>
    ValueTask<CachedAccessToken?> GetAsync(string appId, CancellationToken ct);

    /// <summary>
    /// Stores <paramref name="token"/> unconditionally, replacing any previous value, and lets the entry expire at
    /// <see cref="CachedAccessToken.ExpiresAt"/> (Redis: SET with PXAT/PX, keeping Value and ExpiresAt together).
    /// </summary>
    ValueTask SetAsync(string appId, CachedAccessToken token, CancellationToken ct);

    /// <summary>
    /// Atomically deletes the entry only if its current Value equals <paramref name="tokenValue"/>, and returns
    /// whether it deleted. Used after WeChat rejected that token: another instance may already have stored a newer
    /// one, which must survive (Redis: a Lua script doing GET, compare, DEL).
    /// </summary>
    ValueTask<bool> DeleteIfMatchesAsync(string appId, string tokenValue, CancellationToken ct);

    /// <summary>
    /// Tries to take the refresh lock for <paramref name="appId"/> under the caller's unique
    /// <paramref name="lockId"/>. Succeeds only when no unexpired lock exists; the lock expires by itself after
    /// <paramref name="ttl"/> so a crashed holder cannot block refreshes (Redis: SET lockKey lockId NX PX ttl).
    /// </summary>
    ValueTask<bool> TryAcquireRefreshLockAsync(string appId, string lockId, TimeSpan ttl, CancellationToken ct);

    /// <summary>
    /// Releases the refresh lock only if it is still held under <paramref name="lockId"/>; otherwise does nothing
    /// (the lock may have expired and been taken by someone else; Redis: Lua compare-and-DEL).
    /// </summary>
    ValueTask ReleaseRefreshLockAsync(string appId, string lockId, CancellationToken ct);
}
