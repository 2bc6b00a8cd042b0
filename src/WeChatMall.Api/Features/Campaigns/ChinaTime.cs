namespace WeChatMall.Api.Features.Campaigns;

/// <summary>China Standard Time (UTC+8, no daylight saving): what merchants see and when WeChat's daily quotas reset.</summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The same as a time zone (for cron schedules): UTC+8 all year, fixed so no tz database is needed.</summary>
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.CreateCustomTimeZone("China Standard Time", Offset, "China Standard Time", "China Standard Time");

    public static DateTime Of(DateTime utc) => utc + Offset;

    /// <summary>The next 00:00 China time after <paramref name="utc"/>, in UTC.</summary>
    public static DateTime NextMidnightUtc(DateTime utc) => Of(utc).Date.AddDays(1) - Offset;
}
