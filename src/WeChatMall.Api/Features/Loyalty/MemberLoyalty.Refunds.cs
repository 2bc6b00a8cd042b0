using System.Data.Common;
using Dapper;
using WeChatMall.Api.Features.Members;

namespace WeChatMall.Api.Features.Loyalty;

/// <summary>
/// What a refund takes back, so that buying, spending the points and refunding never pays: the order's earned points in
/// proportion RefundFen / PaidFen (the refund that completes the order takes exactly what is left of them), and on the
/// full refund the first-order bonus and the referrer's reward this order paid. Points already spent become owed
/// (<see cref="PointsOwed"/>). Lifetime spend and points earned drop, and the tier follows them down (never up here).
/// </summary>
public sealed partial class MemberLoyalty
{
    const string PaidEffectSql = """
        SELECT member_id AS MemberId, points AS Earned, points_reversed AS Reversed FROM loyalty_effects WHERE effect_key = @key FOR UPDATE
        """;

    const string GrantSql = "SELECT member_id AS MemberId, delta AS Points FROM points_ledger WHERE idempotency_key = @key AND reference = @orderNo";

    const string CountersSql = """
        UPDATE members SET lifetime_spend_fen = @spend, lifetime_points_earned = @pointsEarned, tier = IF(@lower, @newTier, tier), updated_at = @now
        WHERE id = @id
        """;

    public async Task OnOrderRefundedAsync(DbConnection c, DbTransaction tx, RefundedOrder refund, CancellationToken ct)
    {
        var effectKey = $"refund:{refund.OutRefundNo}";
        if (!await ClaimEffectAsync(c, tx, effectKey, refund.MemberId, refund.RefundedAt, ct)) return;
        var member = await LockMemberAsync(c, tx, refund.MemberId, ct);
        var paidKey = $"paid:{refund.OrderNo}";
        long reversed = 0, bonus = 0;
        if (await c.QuerySingleOrDefaultAsync<PaidEffect>(new CommandDefinition(PaidEffectSql, new { key = paidKey }, tx, cancellationToken: ct)) is { } paid)
        {
            var left = paid.Earned - paid.Reversed;
            var share = refund.PaidFen <= 0 ? 0 : paid.Earned * refund.RefundFen / refund.PaidFen;
            reversed = Math.Max(0, refund.FullRefund ? left : Math.Min(left, share));
            if (reversed > 0)
            {
                await PointsOwed.TakeBackAsync(c, tx, member.Id, reversed, "Reversed by refund", refund.OrderNo,
                    $"order-refund-earn:{refund.OutRefundNo}", refund.RefundedAt, ct);
                await c.ExecuteAsync(new CommandDefinition("UPDATE loyalty_effects SET points_reversed = points_reversed + @reversed WHERE effect_key = @key",
                    new { reversed, key = paidKey }, tx, cancellationToken: ct));
            }
            if (refund.FullRefund)
            {
                // Keyed by the member the order paid them for (loyalty_effects.member_id), as OnOrderPaidAsync keyed them.
                bonus = await TakeBackGrantAsync(c, tx, $"first-order-bonus:{paid.MemberId}", "First order bonus reversed by refund", refund, ct);
                await TakeBackGrantAsync(c, tx, Referrals.RewardKey(paid.MemberId), "Referral reward reversed by refund", refund, ct);
            }
        }

        var spend = Math.Max(0, member.LifetimeSpendFen - refund.RefundFen);
        var pointsEarned = Math.Max(0, member.LifetimePointsEarned - reversed - bonus);
        var tiers = await TierStore.ReadAsync(c, tx, ct);
        var current = tiers.FirstOrDefault(t => t.Code == member.Tier);
        var best = tiers.LastOrDefault(t => t.Reached(spend, pointsEarned));
        // Down to the best tier the net counters still reach (none if none); a refund never raises it.
        var lowered = current is not null && (best is null || best.Rank < current.Rank);
        await c.ExecuteAsync(new CommandDefinition(CountersSql,
            new { spend, pointsEarned, lower = lowered, newTier = best?.Code, now = refund.RefundedAt, id = member.Id }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("UPDATE loyalty_effects SET points = @reversed, new_tier_code = @tier WHERE effect_key = @key",
            new { reversed, tier = lowered ? best?.Code : null, key = effectKey }, tx, cancellationToken: ct));
        if (lowered) await TakeBackTierDiscountAsync(c, tx, member.Id, refund, tiers, best, ct);
    }

    // Orders the member paid since the refunded one that still hold a tier discount the lowered tier would not give.
    const string DiscountedSinceSql = """
        SELECT o.order_no AS OrderNo, o.discount_fen AS DiscountFen, o.tier_code AS TierCode FROM orders o
        JOIN orders r ON r.order_no = @refundedNo
        WHERE o.member_id = @memberId AND o.order_no <> @refundedNo AND o.discount_fen > 0 AND o.tier_code IS NOT NULL
          AND o.paid_at IS NOT NULL AND r.paid_at IS NOT NULL AND o.paid_at >= r.paid_at AND o.refund_state <> 'refunded'
        """;

    const string DiscountTakenSql = """
        SELECT (SELECT COALESCE(-SUM(delta), 0) FROM points_ledger WHERE idempotency_key LIKE @pattern)
             + (SELECT COALESCE(SUM(delta), 0) FROM points_owed_entries WHERE idempotency_key LIKE @pattern)
        """;

    /// <summary>
    /// The tier discount other orders got while the refunded order held the tier up is taken back as points (at the
    /// redemption rate, Loyalty:RedeemPointsPerYuan), debited or owed like spent points: without it, buying into a tier,
    /// buying again at the tier price and refunding the first order would pay the discount every time. Only the part the
    /// lowered tier would not have given, and per order at most once in total (key "tier-discount:&lt;refund&gt;:&lt;order&gt;").
    /// </summary>
    async Task TakeBackTierDiscountAsync(DbConnection c, DbTransaction tx, long memberId, RefundedOrder refund,
        IReadOnlyList<TierDto> tiers, TierDto? lowered, CancellationToken ct)
    {
        var orders = await c.QueryAsync<DiscountedOrder>(new CommandDefinition(DiscountedSinceSql,
            new { memberId, refundedNo = refund.OrderNo }, tx, cancellationToken: ct));
        var keptBasisPoints = lowered?.DiscountBasisPoints ?? 0;
        foreach (var order in orders)
        {
            if (tiers.FirstOrDefault(t => t.Code == order.TierCode) is not { DiscountBasisPoints: > 0 } atOrder) continue;
            if (keptBasisPoints >= atOrder.DiscountBasisPoints) continue;
            var excessFen = order.DiscountFen * (atOrder.DiscountBasisPoints - keptBasisPoints) / atOrder.DiscountBasisPoints;
            var target = excessFen * O.RedeemPointsPerYuan / 100;
            var taken = await c.ExecuteScalarAsync<long>(new CommandDefinition(DiscountTakenSql,
                new { pattern = $"tier-discount:%:{order.OrderNo}" }, tx, cancellationToken: ct));
            if (target - taken > 0)
                await PointsOwed.TakeBackAsync(c, tx, memberId, target - taken, "Tier discount reversed by refund", order.OrderNo,
                    $"tier-discount:{refund.OutRefundNo}:{order.OrderNo}", refund.RefundedAt, ct);
        }
    }

    sealed record DiscountedOrder(string OrderNo, long DiscountFen, string TierCode);

    /// <summary>
    /// A once-ever grant (bonus, referral reward) that this order paid, found by its ledger key with this order as reference,
    /// is taken back from whoever holds it now (a merge re-points ledger rows), once: key "reversed:&lt;grant key&gt;".
    /// </summary>
    static async Task<long> TakeBackGrantAsync(DbConnection c, DbTransaction tx, string grantKey, string reason, RefundedOrder refund, CancellationToken ct)
    {
        if (await c.QuerySingleOrDefaultAsync<Grant>(new CommandDefinition(GrantSql, new { key = grantKey, orderNo = refund.OrderNo }, tx, cancellationToken: ct))
            is not { Points: > 0 } grant)
            return 0;
        await PointsOwed.TakeBackAsync(c, tx, grant.MemberId, grant.Points, reason, refund.OrderNo, $"reversed:{grantKey}", refund.RefundedAt, ct);
        return grant.Points;
    }

    sealed record PaidEffect(long MemberId, long Earned, long Reversed);

    sealed record Grant(long MemberId, long Points);
}
