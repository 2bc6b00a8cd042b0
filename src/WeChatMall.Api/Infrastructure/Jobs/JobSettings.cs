namespace WeChatMall.Api.Infrastructure.Jobs;

/// <summary>
/// The switches every background job has, under <c>Jobs:&lt;Name&gt;</c>: <c>Enabled</c> (default true) and
/// <c>Interval</c> (a TimeSpan such as "00:00:30"; each job has its own default).
/// </summary>
public sealed class JobSettings
{
    public const string SectionName = "Jobs";

    public bool Enabled { get; set; } = true;
    public TimeSpan? Interval { get; set; }

    /// <summary>The longest wait after repeated failures (the wait doubles from Interval up to this).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);
}
