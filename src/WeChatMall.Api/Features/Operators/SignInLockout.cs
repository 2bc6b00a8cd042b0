using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.RateLimiting;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Features.Operators;

/// <summary>
/// Failed sign-ins counted per username and per client IP in fixed Redis windows (<see cref="RedisWindow"/>), shared by
/// every instance. Either count at the limit locks sign-in for the rest of its window: the account counter stops a
/// guesser spreading over many addresses, the IP counter one guesser trying many usernames.
/// </summary>
public sealed class SignInLockout(IDatabase redis, IOptions<OperatorOptions> options, IOptions<RedisOptions> redisOptions)
{
    /// <summary>Seconds until sign-in opens again for this username or client, or null when it is open.</summary>
    public async Task<int?> LockedForAsync(string username, string? clientIp, CancellationToken ct)
    {
        int? longest = null;
        foreach (var key in Keys(username, clientIp))
        {
            var count = await RedisWindow.PeekAsync(redis, key, ct, redisOptions.Value.SessionTimeout);
            if (count.Count >= options.Value.MaxFailedSignIns)
                longest = Math.Max(longest ?? 0, count.RetryAfterSeconds(options.Value.Lockout));
        }
        return longest;
    }

    public async Task RecordFailureAsync(string username, string? clientIp, CancellationToken ct)
    {
        foreach (var key in Keys(username, clientIp))
            await RedisWindow.HitAsync(redis, key, options.Value.Lockout, ct, redisOptions.Value.SessionTimeout);
    }

    /// <summary>A successful sign-in clears the account's count (not the IP's: one known password must not reset a guesser's).</summary>
    public Task ClearAccountAsync(string username, CancellationToken ct) =>
        redis.KeyDeleteAsync(RedisKeys.AdminSignInFailuresAccount(username)).WithDeadline(redisOptions.Value.SessionTimeout, ct);

    static IEnumerable<RedisKey> Keys(string username, string? clientIp)
    {
        yield return RedisKeys.AdminSignInFailuresAccount(username);
        if (clientIp is not null) yield return RedisKeys.AdminSignInFailuresIp(clientIp);
    }
}
