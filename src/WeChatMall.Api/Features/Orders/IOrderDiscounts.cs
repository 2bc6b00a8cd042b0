using System.Data.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WeChatMall.Api.Features.Orders;

/// <summary>A line as a coupon sees it: what it is (product, category) and what it costs before any discount.</summary>
/// <summary>A line the coupon may cover; <paramref name="FlashSale"/> lines (catalog flash-sale products) never are.</summary>
public sealed record DiscountLine(long SkuId, long ProductId, long CategoryId, long GrossFen, bool FlashSale = false);

/// <summary>
/// What a coupon takes off: <see cref="DiscountFen"/> in total, <see cref="LineFen"/> per line (same order as the lines;
/// zero on lines outside the coupon's scope). <see cref="KeepsTierDiscount"/> false: the coupon replaces the tier price.
/// </summary>
public sealed record CouponDiscount(long MemberCouponId, string Title, long DiscountFen, IReadOnlyList<long> LineFen, bool KeepsTierDiscount);

public abstract record CouponCheck
{
    public sealed record Applies(CouponDiscount Discount) : CouponCheck;
    public sealed record Refused(ProblemHttpResult Problem) : CouponCheck;
}

/// <summary>
/// The contract between Orders (and Payments) and the coupons of Offers: Orders never knows Offers' classes. Every
/// method runs in the caller's connection and transaction, so the coupon moves with the order. Coupon discounts come
/// after the tier price and before points; <paramref name="tierFen"/> is the tier discount the coupon may replace.
/// </summary>
public interface IOrderDiscounts
{
    /// <summary>Every coupon of the member that applies to these lines now, with its discount, best first (quote).</summary>
    Task<IReadOnlyList<CouponDiscount>> ApplicableAsync(DbConnection c, DbTransaction? tx, long memberId, IReadOnlyList<DiscountLine> lines,
        long tierFen, DateTime now, CancellationToken ct);

    /// <summary>Checks one coupon against the lines, without locking it (quote of a chosen coupon).</summary>
    Task<CouponCheck> CheckAsync(DbConnection c, DbTransaction? tx, long memberId, long memberCouponId, IReadOnlyList<DiscountLine> lines,
        long tierFen, DateTime now, CancellationToken ct);

    /// <summary>Checks the coupon and locks it with the order (available → locked); refused when it is not the member's, used, expired or out of scope.</summary>
    Task<CouponCheck> LockAsync(DbConnection c, DbTransaction tx, long memberId, long memberCouponId, string orderNo,
        IReadOnlyList<DiscountLine> lines, long tierFen, DateTime now, CancellationToken ct);

    /// <summary>The order was paid: its coupon is used; also gifts and draw chances that a paid order earns.</summary>
    Task OnOrderPaidAsync(DbConnection c, DbTransaction tx, string orderNo, long memberId, long payableFen, DateTime now, CancellationToken ct);

    /// <summary>Cancelled, expired or fully refunded: the order's coupon goes back to the member (a partial refund keeps it used).</summary>
    Task OnOrderReleasedAsync(DbConnection c, DbTransaction tx, string orderNo, string reason, DateTime now, CancellationToken ct);
}
