using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>
/// WeChat's per-channel limits, shared by every instance: a per-minute bucket and a daily quota that resets at
/// 00:00 China time, both counted in Redis by one Lua script (check both, then take from both what both allow, atomically). The two
/// keys of a channel share the hash tag <c>{channel}</c>, so the script also runs on Redis Cluster.
/// </summary>
public sealed class QuotaGovernor(IDatabase redis, IOptions<CampaignOptions> options, TimeProvider time)
{
    public enum Outcome { Granted, MinuteFull, DaySpent }

    // Grants min(want, what is left this minute, what is left today); answers {granted, why short}: 1 nothing short,
    // -1 the minute's bucket, -2 the day's quota (checked first, as a spent day parks the campaign).
    const string TakeScript = """
        local want = tonumber(ARGV[5])
        local dayLeft = tonumber(ARGV[2]) - tonumber(redis.call('GET', KEYS[2]) or '0')
        if dayLeft <= 0 then return {0, -2} end
        local minuteLeft = tonumber(ARGV[1]) - tonumber(redis.call('GET', KEYS[1]) or '0')
        if minuteLeft <= 0 then return {0, -1} end
        local grant = math.min(want, dayLeft, minuteLeft)
        redis.call('INCRBY', KEYS[1], grant)
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('INCRBY', KEYS[2], grant)
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        if grant == want then return {grant, 1} end
        if dayLeft <= minuteLeft then return {grant, -2} end
        return {grant, -1}
        """;

    public async Task<Outcome> TakeAsync(string channel, CancellationToken ct) => (await TakeManyAsync(channel, 1, ct)).Short;

    /// <summary>
    /// Takes up to <paramref name="want"/> units of the channel's quota in one call: how many were granted, and, when
    /// fewer than wanted, which limit stopped it (<see cref="Outcome.Granted"/> when none did).
    /// </summary>
    public async Task<(int Granted, Outcome Short)> TakeManyAsync(string channel, int want, CancellationToken ct)
    {
        if (want <= 0) return (0, Outcome.Granted);
        var quota = options.Value.QuotaOf(channel);
        var now = time.GetUtcNow().UtcDateTime;
        var (minuteKey, dayKey) = Keys(channel, now);
        var result = (RedisResult[])(await redis.ScriptEvaluateAsync(TakeScript, [minuteKey, dayKey],
            [quota.PerMinute, quota.Daily, 120_000, (long)(ChinaTime.NextMidnightUtc(now) - now).TotalMilliseconds + 3_600_000, want]).WaitAsync(ct))!;
        var granted = (int)result[0];
        return (granted, (long)result[1] switch { 1 => Outcome.Granted, -1 => Outcome.MinuteFull, _ => Outcome.DaySpent });
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
