using System.Data.Common;
using WeChatMall.Api.Features.Members;

namespace WeChatMall.Api.Features.Loyalty;

/// <summary>What a member's tier gives at checkout. DiscountBasisPoints 500 = 5 % off; PointsMultiplierPercent 150 = ×1.5.</summary>
public sealed record MemberBenefits(string? TierCode, string? TierName, int DiscountBasisPoints, int PointsMultiplierPercent)
{
    public static readonly MemberBenefits None = new(null, null, 0, 100);

    /// <summary>The tier discount on an amount, rounded down to the fen (the shopper never pays less than the rule says).</summary>
    public long DiscountOn(long fen) => fen * DiscountBasisPoints / 10_000;
}

/// <summary>How points pay at checkout: PointsPerYuan points are worth 100 fen; at most MaxPercentOfOrder of the goods.</summary>
public sealed record PointsRedemptionRule(int PointsPerYuan, int MaxPercentOfOrder)
{
    public long ValueFen(long points) => points * 100 / PointsPerYuan;

    /// <summary>The most points that may pay for an order worth <paramref name="payableFen"/> (whole fen only).</summary>
    public long MaxPoints(long payableFen) => payableFen * MaxPercentOfOrder / 100 * PointsPerYuan / 100;
}

/// <summary>One paid line as loyalty needs it: the product (for its points_per_yuan override) and what was paid for it.</summary>
public sealed record PaidLine(long ProductId, long PaidFen);

public sealed record PaidOrder(long OrderId, string OrderNo, long MemberId, long PaidFen, IReadOnlyList<PaidLine> Lines, DateTime PaidAt);

/// <summary>A succeeded refund of a paid order. FullRefund: with this one, the order's refunds add up to all it paid.</summary>
public sealed record RefundedOrder(string OrderNo, string OutRefundNo, long MemberId, long RefundFen, long PaidFen, DateTime RefundedAt,
    bool FullRefund);

/// <summary>What a paid order earned: shown to the shopper and put in the paid message.</summary>
public sealed record OrderPaidOutcome(long PointsEarned, string? NewTierCode);

/// <summary>
/// The contract between Orders/Payments and Members' loyalty (points rules, tiers, referrals). Every method runs inside
/// the caller's transaction, so loyalty effects commit or roll back with the order change, and every write is keyed by
/// order number (or refund number) through the points ledger's idempotency keys: calling twice changes nothing more.
/// </summary>
public interface ILoyalty
{
    PointsRedemptionRule Redemption { get; }

    Task<MemberBenefits> GetBenefitsAsync(DbConnection c, DbTransaction? tx, long memberId, CancellationToken ct);

    /// <summary>The benefits of a tier code read by the caller (members.tier; null or unknown = none).</summary>
    Task<MemberBenefits> BenefitsOfTierAsync(string? tierCode, CancellationToken ct);

    /// <summary>Debits points used to pay for an order (key "order-redeem:{orderNo}"). InsufficientPoints (also while points are owed) → refuse the order.</summary>
    Task<PointsPostResult> RedeemAsync(DbConnection c, DbTransaction tx, long memberId, long points, string orderNo, DateTime now, CancellationToken ct);

    /// <summary>Gives back the points an order used, when it is cancelled or fully refunded (key "order-redeem-return:{orderNo}").</summary>
    Task ReturnRedeemedAsync(DbConnection c, DbTransaction tx, long memberId, long points, string orderNo, DateTime now, CancellationToken ct);

    /// <summary>A paid order landed: earn points, re-evaluate the tier, pay a referral reward on the first paid order. Once per order.</summary>
    Task<OrderPaidOutcome> OnOrderPaidAsync(DbConnection c, DbTransaction tx, PaidOrder order, CancellationToken ct);

    /// <summary>
    /// A refund succeeded: reverse the points that order earned, in proportion RefundFen / PaidFen (the full refund takes
    /// the rest), and on the full refund the first-order bonus and referral reward it paid; spent points become owed; the
    /// lifetime counters drop and the tier can go down. Once per refund (key OutRefundNo).
    /// </summary>
    Task OnOrderRefundedAsync(DbConnection c, DbTransaction tx, RefundedOrder refund, CancellationToken ct);
}
