namespace WeChatMall.Api.Features.Metrics;

/// <summary>Days as the merchant counts them: China time (UTC+8, no daylight saving); the database stores UTC.</summary>
public static class ChinaDays
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>SQL for the China day of a UTC DATETIME column.</summary>
    public static string Of(string column) => $"DATE({column} + INTERVAL 8 HOUR)";

    public static DateOnly DayOf(DateTime utc) => DateOnly.FromDateTime(utc + Offset);

    /// <summary>The UTC instant a China day starts.</summary>
    public static DateTime StartUtc(DateOnly day) => DateTime.SpecifyKind(day.ToDateTime(TimeOnly.MinValue) - Offset, DateTimeKind.Utc);
}
