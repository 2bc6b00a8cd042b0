using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Metrics;

/// <summary>
/// Runs the incremental rollup every <c>Jobs:MetricsRollup:Interval</c> (default 20 s), so a payment shows in the
/// dashboards within a minute. One instance at a time (lease); the pass itself also takes a named lock.
/// </summary>
public sealed class MetricsRollupJob(MetricsRollup rollup, JobServices jobs) : PeriodicJob(jobs)
{
    public override string Name => "MetricsRollup";
    protected override TimeSpan DefaultInterval => TimeSpan.FromSeconds(20);
    protected override bool SingleInstance => true;
    protected override Task RunAsync(CancellationToken ct) => rollup.RefreshAsync(ct);
}
