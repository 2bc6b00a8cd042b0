using System.Text.Json;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Redis;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Infrastructure.WeChat;

/// <summary>
/// The access_token shared by every instance (one refresher at a time), as the library's contract asks:
/// value and expiry together under one key that expires with the token; compare-and-delete and the lock
/// release are Lua scripts so they are atomic.
/// </summary>
public sealed class RedisAccessTokenStore(IDatabase redis, TimeProvider time) : IAccessTokenStore
{
    private static string TokenKey(string appId) => RedisKeys.AccessToken(appId);
    private static string LockKey(string appId) => RedisKeys.AccessTokenRefreshLock(appId);

    private const string DeleteIfValueMatches = """
        local current = redis.call('GET', KEYS[1])
        if current and cjson.decode(current)['v'] == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;
    private const string ReleaseIfOwner = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    private sealed record Stored(string V, long E);

    public async ValueTask<CachedAccessToken?> GetAsync(string appId, CancellationToken ct)
    {
        var raw = await redis.StringGetAsync(TokenKey(appId)).WaitAsync(ct);
        if (!raw.HasValue) return null;
        var stored = JsonSerializer.Deserialize<Stored>((string)raw!, Json);
        return stored is null ? null : new CachedAccessToken(stored.V, DateTimeOffset.FromUnixTimeMilliseconds(stored.E));
    }

    public async ValueTask SetAsync(string appId, CachedAccessToken token, CancellationToken ct)
    {
        var ttl = token.ExpiresAt - time.GetUtcNow();
        if (ttl <= TimeSpan.Zero) return;
        var json = JsonSerializer.Serialize(new Stored(token.Value, token.ExpiresAt.ToUnixTimeMilliseconds()), Json);
        await redis.StringSetAsync(TokenKey(appId), json, ttl).WaitAsync(ct);
    }

    public async ValueTask<bool> DeleteIfMatchesAsync(string appId, string tokenValue, CancellationToken ct) =>
        (long)await redis.ScriptEvaluateAsync(DeleteIfValueMatches, [TokenKey(appId)], [tokenValue]).WaitAsync(ct) == 1;

    public async ValueTask<bool> TryAcquireRefreshLockAsync(string appId, string lockId, TimeSpan ttl, CancellationToken ct) =>
        await redis.StringSetAsync(LockKey(appId), lockId, ttl, When.NotExists).WaitAsync(ct);

    public async ValueTask ReleaseRefreshLockAsync(string appId, string lockId, CancellationToken ct) =>
        await redis.ScriptEvaluateAsync(ReleaseIfOwner, [LockKey(appId)], [lockId]).WaitAsync(ct);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
