using WeChatMall.Api.Features.Orders;

namespace WeChatMall.Api.Features.Offers;

/// <summary>
/// What a coupon takes off an order, pure. The lines in scope (all, the listed products or categories, minus excluded
/// products) form the base; with a tier-combinable coupon the base is what the tier price left of them, otherwise the
/// coupon replaces the tier discount and the base is their list price. 满减: AmountOffFen once the base reaches
/// ThresholdFen. 折扣: PercentOff % of the base, rounded down, at most MaxDiscountFen. Never more than the base, and
/// never so much that the order's goods cost less than 1 fen. Split over the lines in scope by their list price.
/// </summary>
public static class CouponRules
{
    public static (CouponDiscount? Discount, string? WhyNot) Compute(CouponTemplateRow t, long memberCouponId, IReadOnlyList<DiscountLine> lines, long tierFen)
    {
        var scopeIds = CouponTemplateRow.Ids(t.ScopeIds).ToHashSet();
        var excluded = CouponTemplateRow.Ids(t.ExcludedProductIds).ToHashSet();
        // Flash-sale products (catalog_products.flash_sale, docs/flash-sale.md) are never covered, whatever the template says.
        var inScope = lines.Select(l => !l.FlashSale && !excluded.Contains(l.ProductId) && t.Scope switch
        {
            "products" => scopeIds.Contains(l.ProductId),
            "categories" => scopeIds.Contains(l.CategoryId),
            _ => true,
        }).ToArray();
        var goods = lines.Sum(l => l.GrossFen);
        var scopedGross = lines.Where((_, i) => inScope[i]).Sum(l => l.GrossFen);
        if (scopedGross == 0) return (null, "none of these products is covered by the coupon");

        var keepsTier = t.CombinableWithTier;
        var orderBase = keepsTier ? goods - tierFen : goods;
        var scopedBase = keepsTier ? (long)((Int128)scopedGross * orderBase / goods) : scopedGross;
        if (scopedBase < t.ThresholdFen) return (null, $"the coupon needs {t.ThresholdFen} fen of covered goods");

        var discount = t.Kind == "percent_off" ? scopedBase * t.PercentOff / 100 : t.AmountOffFen;
        if (t.MaxDiscountFen is { } max) discount = Math.Min(discount, max);
        discount = Math.Min(discount, Math.Min(scopedBase, orderBase - 1));
        if (discount <= 0) return (null, "the coupon takes nothing off this order");

        var lineFen = Shares.Split(discount, [.. lines.Select((l, i) => inScope[i] ? l.GrossFen : 0)]);
        return (new CouponDiscount(memberCouponId, t.Title, discount, lineFen, keepsTier), null);
    }
}
