using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Metrics;

public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>
    /// Each incremental pass looks again at rows changed this long before the previous pass started, so a transaction
    /// that committed late (its updated_at older than the watermark) or an instance whose clock lags is still counted.
    /// </summary>
    [Range(0, 3600)] public int OverlapSeconds { get; set; } = 120;

    /// <summary>Longest range a dashboard query may ask for, in days.</summary>
    [Range(1, 3660)] public int MaxRangeDays { get; set; } = 400;
}
