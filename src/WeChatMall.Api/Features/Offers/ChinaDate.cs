namespace WeChatMall.Api.Features.Offers;

/// <summary>Calendar days as the shopper lives them: China time (UTC+8, no daylight saving).</summary>
public static class ChinaDate
{
    static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly Of(DateTimeOffset utc) => DateOnly.FromDateTime(utc.ToOffset(Offset).DateTime);

    public static DateOnly Of(DateTime utc) => Of(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));

    /// <summary>The date as a DATE parameter (Dapper does not bind DateOnly).</summary>
    public static DateTime Sql(this DateOnly day) => day.ToDateTime(TimeOnly.MinValue);
}
