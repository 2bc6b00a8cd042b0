using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Members;

namespace WeChatMall.Api.Features.Loyalty;

/// <summary>
/// The loyalty rules behind <see cref="ILoyalty"/> (section "Loyalty"): points per yuan paid with the per-product
/// override, the tier's multiplier, a first-order bonus, the referral reward and tier upgrades. Each paid order or
/// refund is done once: its <c>loyalty_effects</c> row is inserted first, so a second (or concurrent) call waits on
/// that key and then answers with what the first one did. A paid order only raises the tier; a refund takes back what
/// the refunded amount earned and can lower it (MemberLoyalty.Refunds.cs).
/// </summary>
public sealed partial class MemberLoyalty(IOptions<LoyaltyOptions> options, TierStore tiers) : ILoyalty
{
    LoyaltyOptions O => options.Value;

    public PointsRedemptionRule Redemption => new(O.RedeemPointsPerYuan, O.RedeemMaxPercentOfOrder);

    const string MemberSql = """
        SELECT id AS Id, tier AS Tier, lifetime_spend_fen AS LifetimeSpendFen, lifetime_points_earned AS LifetimePointsEarned,
               referrer_id AS ReferrerId, first_paid_order_no AS FirstPaidOrderNo, merged_into AS MergedInto
        FROM members WHERE id = @id
        """;

    const string EffectSql = "SELECT points AS PointsEarned, new_tier_code AS NewTierCode FROM loyalty_effects WHERE effect_key = @key";

    const string InsertEffectSql = """
        INSERT INTO loyalty_effects (effect_key, member_id, points, new_tier_code, created_at) VALUES (@key, @memberId, 0, NULL, @now)
        """;

    public async Task<MemberBenefits> GetBenefitsAsync(DbConnection c, DbTransaction? tx, long memberId, CancellationToken ct)
    {
        var code = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT tier FROM members WHERE id = @memberId", new { memberId }, tx, cancellationToken: ct));
        return await BenefitsOfTierAsync(code, ct);
    }

    public async Task<MemberBenefits> BenefitsOfTierAsync(string? tierCode, CancellationToken ct) =>
        tierCode is null ? MemberBenefits.None
            : (await tiers.AllAsync(ct)).FirstOrDefault(t => t.Code == tierCode)?.Benefits ?? MemberBenefits.None;

    /// <summary>Refused while the member owes points (a refund took back points already spent): the debt is settled first.</summary>
    public async Task<PointsPostResult> RedeemAsync(DbConnection c, DbTransaction tx, long memberId, long points, string orderNo, DateTime now, CancellationToken ct) =>
        await PointsOwed.OfAsync(c, tx, memberId, ct) > 0
            ? new InsufficientPoints(0) // the balance is 0 anyway while anything is owed (every credit settles the debt first)
            : await PointsLedger.PostAsync(c, tx, memberId, -points, "Paid for order", orderNo, $"order-redeem:{orderNo}", now, ct);

    /// <summary>The points come back as a new lot earned now (they do not return to the lots they were taken from).</summary>
    public async Task ReturnRedeemedAsync(DbConnection c, DbTransaction tx, long memberId, long points, string orderNo, DateTime now, CancellationToken ct) =>
        await PointsLedger.PostAsync(c, tx, memberId, points, "Returned from order", orderNo, $"order-redeem-return:{orderNo}", now, ct);

    public async Task<OrderPaidOutcome> OnOrderPaidAsync(DbConnection c, DbTransaction tx, PaidOrder order, CancellationToken ct)
    {
        var key = $"paid:{order.OrderNo}";
        if (!await ClaimEffectAsync(c, tx, key, order.MemberId, order.PaidAt, ct))
            return await c.QuerySingleAsync<OrderPaidOutcome>(new CommandDefinition(EffectSql, new { key }, tx, cancellationToken: ct));

        var member = await LockMemberAsync(c, tx, order.MemberId, ct);
        var allTiers = await TierStore.ReadAsync(c, tx, ct);
        var multiplier = allTiers.FirstOrDefault(t => t.Code == member.Tier)?.PointsMultiplierPercent ?? 100;

        var earned = await BasePointsAsync(c, tx, order, ct) * multiplier / 100;
        if (earned > 0)
            await PointsLedger.PostAsync(c, tx, member.Id, earned, "Earned on order", order.OrderNo, $"order-earn:{order.OrderNo}", order.PaidAt, ct);

        var firstOrder = member.FirstPaidOrderNo is null && await c.ExecuteAsync(new CommandDefinition(
            "UPDATE members SET first_paid_order_no = @no WHERE id = @id AND first_paid_order_no IS NULL",
            new { no = order.OrderNo, id = member.Id }, tx, cancellationToken: ct)) == 1;
        var bonus = firstOrder ? O.FirstOrderBonusPoints : 0;
        if (bonus > 0)
            await PointsLedger.PostAsync(c, tx, member.Id, bonus, "First order bonus", order.OrderNo, $"first-order-bonus:{member.Id}", order.PaidAt, ct);
        if (firstOrder && member.ReferrerId is { } referrer && O.ReferralRewardPoints > 0)
            await Referrals.PayRewardAsync(c, tx, referrer, member.Id, O.ReferralRewardPoints, order.OrderNo, order.PaidAt, ct);

        var spend = member.LifetimeSpendFen + order.PaidFen;
        var pointsEarned = member.LifetimePointsEarned + earned + bonus;
        var current = allTiers.FirstOrDefault(t => t.Code == member.Tier);
        var best = allTiers.LastOrDefault(t => t.Reached(spend, pointsEarned));
        var upgrade = best is not null && (current is null || best.Rank > current.Rank) ? best.Code : null;
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE members SET lifetime_spend_fen = lifetime_spend_fen + @fen, lifetime_points_earned = lifetime_points_earned + @points,
                tier = COALESCE(@upgrade, tier), updated_at = @now
            WHERE id = @id
            """, new { fen = order.PaidFen, points = earned + bonus, upgrade, now = order.PaidAt, id = member.Id }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE loyalty_effects SET member_id = @memberId, points = @earned, new_tier_code = @upgrade WHERE effect_key = @key",
            new { memberId = member.Id, earned, upgrade, key }, tx, cancellationToken: ct));
        return new OrderPaidOutcome(earned, upgrade);
    }

    /// <summary>Σ paid_fen × points-per-yuan of the line's product (or the store rule) / 100, rounded down once.</summary>
    async Task<long> BasePointsAsync(DbConnection c, DbTransaction tx, PaidOrder order, CancellationToken ct)
    {
        if (order.Lines.Count == 0) return order.PaidFen * O.PointsPerYuan / 100;
        var ids = order.Lines.Select(l => l.ProductId).Distinct().ToArray();
        var overrides = (await c.QueryAsync<(long Id, int? Ppy)>(new CommandDefinition(
            "SELECT id, points_per_yuan FROM catalog_products WHERE id IN @ids", new { ids }, tx, cancellationToken: ct)))
            .ToDictionary(r => r.Id, r => r.Ppy);
        var fenTimesRate = order.Lines.Sum(l => l.PaidFen * (overrides.GetValueOrDefault(l.ProductId) ?? O.PointsPerYuan));
        return fenTimesRate / 100;
    }

    /// <summary>True when this call is the first for the key; otherwise the key existed (it waited for its commit).</summary>
    static async Task<bool> ClaimEffectAsync(DbConnection c, DbTransaction tx, string key, long memberId, DateTime now, CancellationToken ct)
    {
        try
        {
            await c.ExecuteAsync(new CommandDefinition(InsertEffectSql, new { key, memberId, now }, tx, cancellationToken: ct));
            return true;
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return false;
        }
    }

    /// <summary>The order's member, or the survivor it was merged into; locked for the rest of the transaction.</summary>
    static async Task<MemberRow> LockMemberAsync(DbConnection c, DbTransaction tx, long memberId, CancellationToken ct)
    {
        var row = await c.QuerySingleAsync<MemberRow>(new CommandDefinition(MemberSql + " FOR UPDATE", new { id = memberId }, tx, cancellationToken: ct));
        return row.MergedInto is { } survivor ? await LockMemberAsync(c, tx, survivor, ct) : row;
    }

    sealed record MemberRow
    {
        public long Id { get; init; }
        public string? Tier { get; init; }
        public long LifetimeSpendFen { get; init; }
        public long LifetimePointsEarned { get; init; }
        public long? ReferrerId { get; init; }
        public string? FirstPaidOrderNo { get; init; }
        public long? MergedInto { get; init; }
    }
}
