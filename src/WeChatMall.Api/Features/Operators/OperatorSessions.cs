using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Features.Operators;

/// <summary>A live console session: whose it is, the role it was issued with and the CSRF token writes must carry.</summary>
public sealed record OperatorSession(string Id, long OperatorId, string Username, string Role, string CsrfToken);

public sealed record IssuedOperatorSession(string CookieValue, OperatorSession Session);

/// <summary>
/// Server-side console sessions in Redis. The cookie holds 32 random bytes; Redis holds their SHA-256 (so a Redis
/// dump gives no usable cookie) with the operator, role, CSRF token and absolute end. The key's TTL is the idle
/// timeout, renewed by each request, never past the absolute end. A per-operator index lets a role change, password
/// change or disabling end every session of that operator at once.
/// </summary>
public sealed class OperatorSessions(IDatabase redis, IOptions<OperatorOptions> options, IOptions<RedisOptions> redisOptions, TimeProvider time)
{
    public async Task<IssuedOperatorSession> IssueAsync(OperatorRow op, CancellationToken ct)
    {
        var cookie = "s_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var session = new OperatorSession(Hash(cookie), op.Id, op.Username, op.Role, Base64Url(RandomNumberGenerator.GetBytes(24)));
        var absoluteEnd = time.GetUtcNow() + options.Value.SessionAbsolute;
        var key = RedisKeys.AdminSession(session.Id);
        var index = RedisKeys.AdminSessionIndex(op.Id);
        // The index first, then the session: on Redis Cluster the two keys are in different hash slots (no transaction
        // spans them), and a session must never exist that the index does not list (it could not be revoked).
        var indexed = redis.CreateTransaction();
        _ = indexed.SetAddAsync(index, session.Id);
        _ = indexed.KeyExpireAsync(index, options.Value.SessionAbsolute);
        await indexed.ExecuteAsync().WithDeadline(redisOptions.Value.SessionTimeout, ct);
        var stored = redis.CreateTransaction();
        _ = stored.HashSetAsync(key,
        [
            new("op", op.Id), new("user", op.Username), new("role", op.Role), new("csrf", session.CsrfToken),
            new("end", absoluteEnd.ToUnixTimeMilliseconds()),
        ]);
        _ = stored.KeyExpireAsync(key, Ttl(absoluteEnd));
        await stored.ExecuteAsync().WithDeadline(redisOptions.Value.SessionTimeout, ct);
        return new IssuedOperatorSession(cookie, session);
    }

    /// <summary>The session of a cookie value, its idle time restarted; null when unknown, idle too long or past its end.</summary>
    public async Task<OperatorSession?> FindAsync(string cookie, CancellationToken ct)
    {
        var id = Hash(cookie);
        var key = RedisKeys.AdminSession(id);
        var fields = (await redis.HashGetAllAsync(key).WithDeadline(redisOptions.Value.SessionTimeout, ct)).ToDictionary(e => e.Name.ToString(), e => e.Value);
        if (!fields.TryGetValue("op", out var op) || !fields.TryGetValue("end", out var endValue)) return null;
        var end = DateTimeOffset.FromUnixTimeMilliseconds((long)endValue);
        if (end <= time.GetUtcNow())
        {
            await redis.KeyDeleteAsync(key).WaitAsync(ct);
            return null;
        }
        _ = redis.KeyExpireAsync(key, Ttl(end), flags: CommandFlags.FireAndForget);
        return new OperatorSession(id, (long)op, fields["user"].ToString(), fields["role"].ToString(), fields["csrf"].ToString());
    }

    public Task RevokeAsync(OperatorSession session, CancellationToken ct) =>
        redis.KeyDeleteAsync(RedisKeys.AdminSession(session.Id)).WithDeadline(redisOptions.Value.SessionTimeout, ct);

    /// <summary>Ends every session of an operator, except <paramref name="keepId"/> (the caller's own, after a password change).</summary>
    public async Task RevokeAllAsync(long operatorId, CancellationToken ct, string? keepId = null)
    {
        var index = RedisKeys.AdminSessionIndex(operatorId);
        var ids = await redis.SetMembersAsync(index).WaitAsync(ct);
        var doomed = ids.Select(h => h.ToString()).Where(h => h != keepId).ToList();
        if (doomed.Count == 0) return;
        // One DEL per key: a multi-key DEL is refused on Redis Cluster when the keys are in different slots.
        await Task.WhenAll(doomed.Select(h => redis.KeyDeleteAsync(RedisKeys.AdminSession(h)))).WaitAsync(ct);
        await redis.SetRemoveAsync(index, [.. doomed.Select(h => (RedisValue)h)]).WaitAsync(ct);
    }

    TimeSpan Ttl(DateTimeOffset absoluteEnd)
    {
        var left = absoluteEnd - time.GetUtcNow();
        return left < options.Value.SessionIdle ? (left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1)) : options.Value.SessionIdle;
    }

    static string Hash(string cookie) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cookie)));

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
