namespace WeChatMall.Api.Features.Campaigns;

/// <summary>China Standard Time (UTC+8, no daylight saving): what merchants see and when WeChat's daily quotas reset.</summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateTime Of(DateTime utc) => utc + Offset;

    /// <summary>The next 00:00 China time after <paramref name="utc"/>, in UTC.</summary>
    public static DateTime NextMidnightUtc(DateTime utc) => Of(utc).Date.AddDays(1) - Offset;
}
