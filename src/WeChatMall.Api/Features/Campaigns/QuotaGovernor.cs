using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>
/// WeChat's per-channel limits, shared by every instance: a per-minute bucket and a daily quota that resets at
/// 00:00 China time, both counted in Redis by one Lua script (check both, then take one from both, atomically). The two
/// keys of a channel share the hash tag <c>{channel}</c>, so the script also runs on Redis Cluster.
/// </summary>
public sealed class QuotaGovernor(IDatabase redis, IOptions<CampaignOptions> options, TimeProvider time)
{
    public enum Outcome { Granted, MinuteFull, DaySpent }

    const string TakeScript = """
        local day = tonumber(redis.call('GET', KEYS[2]) or '0')
        if day >= tonumber(ARGV[2]) then return -2 end
        local minute = tonumber(redis.call('GET', KEYS[1]) or '0')
        if minute >= tonumber(ARGV[1]) then return -1 end
        redis.call('INCR', KEYS[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('INCR', KEYS[2])
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        return 1
        """;

    public async Task<Outcome> TakeAsync(string channel, CancellationToken ct)
    {
        var quota = options.Value.QuotaOf(channel);
        var now = time.GetUtcNow().UtcDateTime;
        var (minuteKey, dayKey) = Keys(channel, now);
        var result = (long)await redis.ScriptEvaluateAsync(TakeScript, [minuteKey, dayKey],
            [quota.PerMinute, quota.Daily, 120_000, (long)(ChinaTime.NextMidnightUtc(now) - now).TotalMilliseconds + 3_600_000]).WaitAsync(ct);
        return result switch { 1 => Outcome.Granted, -1 => Outcome.MinuteFull, _ => Outcome.DaySpent };
    }

    /// <summary>WeChat answered 45009: the day's quota is spent whatever we counted, for every instance until the reset.</summary>
    public async Task MarkDaySpentAsync(string channel, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var (_, dayKey) = Keys(channel, now);
        await redis.StringSetAsync(dayKey, options.Value.QuotaOf(channel).Daily, ChinaTime.NextMidnightUtc(now) - now + TimeSpan.FromHours(1)).WaitAsync(ct);
    }

    /// <summary>The start of the next minute (when a full bucket has room again).</summary>
    public DateTime NextMinute() => time.GetUtcNow().UtcDateTime is var n ? new DateTime(n.Ticks - n.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc).AddMinutes(1) : default;

    static (string Minute, string Day) Keys(string channel, DateTime utc) => (
        RedisKeys.CampaignQuotaMinute(channel, utc.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture)),
        RedisKeys.CampaignQuotaDay(channel, ChinaTime.Of(utc).ToString("yyyyMMdd", CultureInfo.InvariantCulture)));
}
