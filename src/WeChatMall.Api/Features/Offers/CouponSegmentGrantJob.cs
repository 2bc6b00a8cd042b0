using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Offers;

/// <summary>
/// Every Jobs:CouponSegmentGrants:Interval (5 s): freezes and issues the segment grants operators started
/// (<see cref="CouponSegmentGrants"/>). One instance at a time to spare the work; correctness does not depend on it
/// (each recipient is issued under its row lock).
/// </summary>
public sealed class CouponSegmentGrantJob(CouponSegmentGrants grants, JobServices jobs) : PeriodicJob(jobs)
{
    public override string Name => "CouponSegmentGrants";
    protected override TimeSpan DefaultInterval => TimeSpan.FromSeconds(5);
    protected override bool SingleInstance => true;
    protected override Task RunAsync(CancellationToken ct) => RunOnceAsync(ct);

    public Task<int> RunOnceAsync(CancellationToken ct) => grants.WorkAsync(ct);
}
