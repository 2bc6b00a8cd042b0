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
/// The WeChat session_key is not kept anywhere.
/// </summary>
public sealed class MemberSessions(IDatabase redis, IOptions<MemberOptions> options, TimeProvider time)
{
    public async Task<IssuedSession> IssueAsync(long memberId, CancellationToken ct)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var life = TimeSpan.FromHours(options.Value.SessionHours);
        await redis.StringSetAsync(RedisKeys.MemberSession(Hash(token)), memberId.ToString(CultureInfo.InvariantCulture), life).WaitAsync(ct);
        return new IssuedSession(token, time.GetUtcNow() + life);
    }

    public async Task<long?> FindAsync(string token, CancellationToken ct)
    {
        var value = await redis.StringGetAsync(RedisKeys.MemberSession(Hash(token))).WaitAsync(ct);
        return value.HasValue && long.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    public Task RevokeAsync(string token, CancellationToken ct) =>
        redis.KeyDeleteAsync(RedisKeys.MemberSession(Hash(token))).WaitAsync(ct);

    /// <summary>Redis unreachable or too slow: the session store is down, not the token wrong.</summary>
    public static bool IsOutage(Exception ex) => ex is RedisException or RedisTimeoutException;

    static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
