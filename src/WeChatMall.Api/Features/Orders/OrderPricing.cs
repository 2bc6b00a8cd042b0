using WeChatMall.Api.Features.Loyalty;

namespace WeChatMall.Api.Features.Orders;

/// <summary>An order's amounts, in the order they are taken: tier price → coupon → points → shipping.</summary>
public sealed record PricedOrder(long GoodsFen, long TierFen, long CouponFen, long PointsUsed, long PointsFen, long ShippingFen, long PayableFen)
{
    /// <summary>What each line pays: the payable split by (gross − the coupon's part on that line); sums exactly to the payable.</summary>
    public long[] LineShares(IReadOnlyList<long> gross, CouponDiscount? coupon) =>
        Shares.Split(PayableFen, [.. gross.Select((g, i) => g - (coupon?.LineFen[i] ?? 0))]);
}

/// <summary>
/// The one price computation, shared by placing and quoting. Each step is capped so the goods never cost less than
/// 1 fen: the tier discount, then the coupon (computed by Offers on what the tier left, and capped again here), then
/// points (at most the redemption rule's share of what is left, and never all of it). Shipping is free from
/// Orders:FreeShippingFromFen of goods after tier and coupon discounts.
/// </summary>
public static class OrderPricing
{
    public static PricedOrder Price(IReadOnlyList<long> gross, MemberBenefits benefits, CouponDiscount? coupon, long pointsWanted,
        long pointsBalance, PointsRedemptionRule rule, OrderOptions o)
    {
        var goods = gross.Sum();
        var tier = coupon is { KeepsTierDiscount: false } ? 0 : Math.Min(benefits.DiscountOn(goods), goods - 1);
        var couponFen = coupon is null ? 0 : Math.Min(coupon.DiscountFen, goods - tier - 1);
        if (coupon is not null && couponFen != coupon.DiscountFen)
            throw new InvalidOperationException("A coupon discount must leave at least 1 fen (Offers caps it).");
        var afterDiscount = goods - tier - couponFen;
        var shipping = o.FreeShippingFromFen > 0 && afterDiscount >= o.FreeShippingFromFen ? 0 : o.ShippingFeeFen;

        long pointsUsed = 0, pointsFen = 0;
        if (pointsWanted > 0)
        {
            pointsUsed = Math.Min(pointsWanted, Math.Min(pointsBalance, rule.MaxPoints(afterDiscount)));
            pointsFen = Math.Min(rule.ValueFen(pointsUsed), afterDiscount - 1);
            if (pointsFen <= 0) pointsUsed = pointsFen = 0;
        }
        return new PricedOrder(goods, tier, couponFen, pointsUsed, pointsFen, shipping, afterDiscount - pointsFen + shipping);
    }
}
