using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Audience;

/// <summary>
/// The nightly pass (Jobs:AudienceNightly, every 24 h by default, one instance at a time): a full rebuild, which ages
/// R, moves the average RFM thresholds and re-evaluates every rule tag (e.g. "spent ≥ N in 90 days" as days pass).
/// </summary>
public sealed class AudienceNightlyJob(StatsRebuild rebuild, TimeProvider clock, JobServices jobs) : PeriodicJob(jobs)
{
    public override string Name => "AudienceNightly";
    protected override TimeSpan DefaultInterval => TimeSpan.FromHours(24);
    protected override bool SingleInstance => true;

    // A restart does not rebuild again: a pass that succeeded within the interval counts.
    protected override async Task RunAsync(CancellationToken ct)
    {
        if (await rebuild.LastSucceededAsync(ct) is { } last && last > clock.GetUtcNow().UtcDateTime - Interval) return;
        await rebuild.RunAsync(await rebuild.StartAsync(ct), ct);
    }
}
