using Dapper;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Offers;

/// <summary>
/// Every Jobs:CouponExpiry:Interval (10 min): available coupons past valid_to become expired (a coupon returned by a
/// cancelled or refunded order after its validity ended expires here too). Each move is conditional, so several
/// instances finding the same coupon move it once. Locked and used coupons never expire: their order decides.
/// </summary>
public sealed class CouponExpiryJob(MySqlDataSource db, TimeProvider clock, JobServices jobs) : PeriodicJob(jobs)
{
    public override string Name => "CouponExpiry";
    protected override TimeSpan DefaultInterval => TimeSpan.FromMinutes(10);
    protected override Task RunAsync(CancellationToken ct) => RunOnceAsync(ct);

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        var due = (await c.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM member_coupons WHERE status = 'available' AND valid_to <= @now ORDER BY valid_to LIMIT 1000", new { now }, cancellationToken: ct))).ToList();
        var expired = 0;
        foreach (var id in due)
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            if (await CouponTransitions.TryMoveAsync(c, tx, id, CouponStatus.Available, CouponStatus.Expired, null, "validity ended", now, ct)) expired++;
            await tx.CommitAsync(ct);
        }
        return expired;
    }
}
