using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Infrastructure.RateLimiting;

/// <summary>A counter's value and how long until its window ends (null: no such counter, or no expiry).</summary>
public readonly record struct WindowCount(long Count, TimeSpan? ResetsIn)
{
    /// <summary>Whole seconds for a Retry-After header: at least 1, and the full window when Redis gave no expiry.</summary>
    public int RetryAfterSeconds(TimeSpan window) => Math.Max(1, (int)Math.Ceiling((ResetsIn ?? window).TotalSeconds));
}

/// <summary>
/// Fixed-window counters in Redis, shared by every API instance: the one mechanism behind request rate limits
/// (<see cref="RateLimitFilter"/>) and failed-attempt limits (product codes). A window starts at its first hit and
/// lasts <c>window</c>. Each call touches one key, so it works unchanged on Redis Cluster.
/// </summary>
public static class RedisWindow
{
    // INCR and the first hit's PEXPIRE in one script: a crash or timeout between two separate commands could leave a
    // counter without expiry, locking its subject out for good. A key found without expiry is given one here too.
    const string HitScript = """
        local n = redis.call('INCR', KEYS[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            ttl = tonumber(ARGV[1])
        end
        return {n, ttl}
        """;

    /// <summary>Counts one hit and returns the count including it.</summary>
    /// <param name="deadline">Our own limit on the wait (see <see cref="RedisDeadline"/>); null: the client's timeout.</param>
    public static async Task<WindowCount> HitAsync(IDatabase redis, RedisKey key, TimeSpan window, CancellationToken ct, TimeSpan? deadline = null)
    {
        var result = (RedisResult[])(await Bounded(redis.ScriptEvaluateAsync(HitScript, [key], [(long)window.TotalMilliseconds]), deadline, ct))!;
        return new WindowCount((long)result[0], TimeSpan.FromMilliseconds((long)result[1]));
    }

    /// <summary>Reads a counter without counting (a missing key reads as 0).</summary>
    public static async Task<WindowCount> PeekAsync(IDatabase redis, RedisKey key, CancellationToken ct, TimeSpan? deadline = null)
    {
        var count = (long)await Bounded(redis.StringGetAsync(key), deadline, ct);
        return count == 0 ? new WindowCount(0, null) : new WindowCount(count, await Bounded(redis.KeyTimeToLiveAsync(key), deadline, ct));
    }

    static Task<T> Bounded<T>(Task<T> call, TimeSpan? deadline, CancellationToken ct) =>
        deadline is { } d ? call.WithDeadline(d, ct) : call.WaitAsync(ct);
}
