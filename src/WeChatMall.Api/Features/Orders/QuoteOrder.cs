using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Loyalty;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Orders;

/// <summary>Lines or cart lines as for placing; MemberCouponId null = the best applicable coupon, 0 = no coupon.</summary>
public sealed record QuoteOrderRequest(IReadOnlyList<OrderLineRequest>? Lines, IReadOnlyList<long>? CartSkuIds, long PointsToUse,
    long? MemberCouponId);

public sealed record QuoteCouponDto(long MemberCouponId, string Title, long DiscountFen, bool KeepsTierDiscount);

/// <summary>
/// The amounts an order would have now, with the coupon used (<see cref="Coupon"/>) and every applicable coupon of
/// the member, best first. Nothing is taken or locked: placing the order checks everything again.
/// </summary>
public sealed record OrderQuoteDto(long GoodsFen, long DiscountFen, long CouponFen, long PointsUsed, long PointsFen, long ShippingFen,
    long PayableFen, QuoteCouponDto? Coupon, IReadOnlyList<QuoteCouponDto> ApplicableCoupons);

/// <summary>POST /api/orders/quote: what <see cref="PlaceOrder"/> would charge (tier price → coupon → points → shipping).</summary>
public static class QuoteOrder
{
    sealed record SkuRow(long Id, long ProductId, long CategoryId, bool FlashSale, long PriceFen, string Title, bool OnShelf);

    const string SkusSql = """
        SELECT s.id, s.product_id, p.category_id, p.flash_sale, s.price_fen, p.title, p.on_shelf
        FROM catalog_skus s JOIN catalog_products p ON p.id = s.product_id WHERE s.id IN @ids ORDER BY s.id
        """;

    const string CartSql = "SELECT sku_id, quantity FROM cart_items WHERE member_id = @memberId AND sku_id IN @skuIds";

    public static async Task<Results<Ok<OrderQuoteDto>, ValidationProblem, ProblemHttpResult>> Handle(QuoteOrderRequest request, CurrentMember me,
        MySqlDataSource db, ILoyalty loyalty, IOrderDiscounts discounts, IOptions<OrderOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var asOrder = new PlaceOrderRequest(request.Lines, request.CartSkuIds, 1, request.PointsToUse, null);
        if (PlaceOrder.Validate(asOrder, null, options.Value) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        var wanted = request.CartSkuIds is { Count: > 0 } cartIds
            ? (await c.QueryAsync<(long SkuId, int Quantity)>(new CommandDefinition(CartSql, new { memberId = me.Id, skuIds = cartIds }, cancellationToken: ct)))
                .ToDictionary(r => r.SkuId, r => r.Quantity)
            : request.Lines!.ToDictionary(l => l.SkuId, l => l.Quantity);
        if (wanted.Count == 0) return Problems.Unprocessable("CART_LINE_NOT_FOUND", "A chosen cart line is not in your cart");
        var skus = (await c.QueryAsync<SkuRow>(new CommandDefinition(SkusSql, new { ids = wanted.Keys.ToArray() }, cancellationToken: ct))).ToList();
        if (wanted.Keys.FirstOrDefault(id => skus.Find(s => s.Id == id) is not { OnShelf: true }) is var gone and not 0)
            return Problems.Unprocessable("SKU_NOT_FOUND", "A SKU in the order is not on sale", $"SKU {gone} does not exist or is off the shelf.",
                new Dictionary<string, object?> { ["skuId"] = gone });

        var benefits = await loyalty.GetBenefitsAsync(c, null, me.Id, ct);
        var gross = skus.Select(s => s.PriceFen * wanted[s.Id]).ToList();
        var lines = skus.Select((s, i) => new DiscountLine(s.Id, s.ProductId, s.CategoryId, gross[i], s.FlashSale)).ToList();
        var tierFen = benefits.DiscountOn(gross.Sum());
        var applicable = await discounts.ApplicableAsync(c, null, me.Id, lines, tierFen, now, ct);
        CouponDiscount? coupon = null;
        if (request.MemberCouponId is > 0 and var chosen)
        {
            switch (await discounts.CheckAsync(c, null, me.Id, chosen, lines, tierFen, now, ct))
            {
                case CouponCheck.Applies a: coupon = a.Discount; break;
                case CouponCheck.Refused r: return r.Problem;
            }
        }
        else if (request.MemberCouponId is null) coupon = applicable.FirstOrDefault();

        var balance = request.PointsToUse > 0
            ? await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT points_balance FROM members WHERE id = @id", new { id = me.Id }, cancellationToken: ct))
            : 0;
        var p = OrderPricing.Price(gross, benefits, coupon, request.PointsToUse, balance, loyalty.Redemption, options.Value);
        return TypedResults.Ok(new OrderQuoteDto(p.GoodsFen, p.TierFen, p.CouponFen, p.PointsUsed, p.PointsFen, p.ShippingFen, p.PayableFen,
            coupon is null ? null : Dto(coupon), [.. applicable.Select(Dto)]));
    }

    static QuoteCouponDto Dto(CouponDiscount d) => new(d.MemberCouponId, d.Title, d.DiscountFen, d.KeepsTierDiscount);
}
