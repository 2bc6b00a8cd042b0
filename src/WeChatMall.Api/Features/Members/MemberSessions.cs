using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Features.Members;

public sealed record IssuedSession(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Opaque bearer tokens: 32 random bytes (base64url) given to the client; Redis holds only their SHA-256 with the
/// member id and a fixed expiry (Members:SessionHours), so any instance can check one and logout deletes it.
/// The WeChat session_key is not kept anywhere. Lookups are remembered for a few seconds per instance
/// (<see cref="MemberSessionCache"/>); a logout or merge reaches every instance's memory through Redis pub/sub.
/// </summary>
public sealed class MemberSessions(IDatabase redis, MemberSessionCache cache, IOptions<MemberOptions> options,
    IOptions<RedisOptions> redisOptions, TimeProvider time)
{
    public async Task<IssuedSession> IssueAsync(long memberId, CancellationToken ct)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var life = TimeSpan.FromHours(options.Value.SessionHours);
        var hash = Hash(token);
        var index = RedisKeys.MemberSessionIndex(memberId);
        // The per-member index (token hashes) lets a merge revoke every session of the merged member; it lives as
        // long as the newest session, and an entry whose session expired is just a key that DEL finds absent.
        // The index is written first and the session after it: the two keys live in different hash slots on Redis
        // Cluster (no transaction spans them), and a session must never exist that the index does not list.
        var indexed = redis.CreateTransaction();
        _ = indexed.SetAddAsync(index, hash);
        _ = indexed.KeyExpireAsync(index, life);
        await indexed.ExecuteAsync().WithDeadline(redisOptions.Value.SessionTimeout, ct);
        await redis.StringSetAsync(RedisKeys.MemberSession(hash), memberId.ToString(CultureInfo.InvariantCulture), life)
            .WithDeadline(redisOptions.Value.SessionTimeout, ct);
        return new IssuedSession(token, time.GetUtcNow() + life);
    }

    public async Task<long?> FindAsync(string token, CancellationToken ct)
    {
        var hash = Hash(token);
        if (cache.TryGet(hash, out var cached)) return cached;
        var version = cache.Version;
        var found = await redis.StringGetWithExpiryAsync(RedisKeys.MemberSession(hash)).WithDeadline(redisOptions.Value.SessionTimeout, ct);
        if (!found.Value.HasValue || !long.TryParse(found.Value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return null;
        cache.Store(hash, id, found.Expiry, version);
        return id;
    }

    /// <summary>
    /// The member of a session this instance remembers (no Redis call, nothing allocated), or null: unknown here does
    /// not mean invalid — <see cref="FindAsync"/> asks Redis.
    /// </summary>
    public long? Remembered(ReadOnlySpan<char> token)
    {
        Span<byte> utf8 = stackalloc byte[MaxTokenBytes];
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        Span<char> hex = stackalloc char[SHA256.HashSizeInBytes * 2];
        if (!Encoding.UTF8.TryGetBytes(token, utf8, out var length)) return null;
        SHA256.HashData(utf8[..length], digest);
        Convert.TryToHexStringLower(digest, hex, out _);
        return cache.TryGet(hex, out var id) ? id : null;
    }

    const int MaxTokenBytes = 128 * 3; // MemberAuth.BearerToken takes at most 128 characters

    /// <summary>Ends one session: its key is deleted, then every instance is told to forget it.</summary>
    public async Task RevokeAsync(string token, CancellationToken ct)
    {
        var hash = Hash(token);
        await redis.KeyDeleteAsync(RedisKeys.MemberSession(hash)).WithDeadline(redisOptions.Value.SessionTimeout, ct);
        await cache.RevokedAsync(hash).WithDeadline(redisOptions.Value.SessionTimeout, ct);
    }

    /// <summary>Ends every session of a member (after a merge made it an empty shell).</summary>
    public async Task RevokeAllAsync(long memberId, CancellationToken ct)
    {
        var index = RedisKeys.MemberSessionIndex(memberId);
        var hashes = await redis.SetMembersAsync(index).WaitAsync(ct);
        // One DEL per key: a multi-key DEL is refused on Redis Cluster when the keys are in different slots.
        await Task.WhenAll(hashes.Select(h => redis.KeyDeleteAsync(RedisKeys.MemberSession(h.ToString())))).WaitAsync(ct);
        await redis.KeyDeleteAsync(index).WaitAsync(ct);
        await cache.RevokedAllAsync(memberId).WaitAsync(ct);
    }

    /// <summary>Redis unreachable or too slow (past Redis:SessionTimeoutMs): the session store is down, not the token wrong.</summary>
    public static bool IsOutage(Exception ex) => RedisDeadline.IsOutage(ex);

    static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
