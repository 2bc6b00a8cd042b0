using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Features.Members;

namespace WeChatMall.Api.Features.Orders;

public sealed record OrderLineRequest(long SkuId, int Quantity);

/// <summary>
/// Either <see cref="Lines"/> (explicit SKUs and quantities) or <see cref="CartSkuIds"/> (those cart lines, at their
/// cart quantities; they leave the cart with the order). PointsToUse is capped by the redemption rule and the balance.
/// MemberCouponId: one of the member's coupons (GET /api/me/coupons), locked with the order (docs/offers.md).
/// </summary>
public sealed record PlaceOrderRequest(IReadOnlyList<OrderLineRequest>? Lines, IReadOnlyList<long>? CartSkuIds,
    long AddressId, long PointsToUse, string? Remark, long? MemberCouponId = null);

/// <summary>
/// POST /api/orders. Prices come from MariaDB (never the catalog cache); stock is taken in the transaction that creates
/// the order with conditional UPDATEs in SKU id order, so two orders never oversell and never deadlock on each other
/// (a deadlock with anything else is retried). A retried tap with the same Idempotency-Key answers with the first order.
/// </summary>
public static class PlaceOrder
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static async Task<Results<Created<OrderDetailDto>, Ok<OrderDetailDto>, ValidationProblem, ProblemHttpResult>> Handle(
        PlaceOrderRequest request, [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, CurrentMember me,
        OrderPlacer placer, OrderQueries queries, IOptions<OrderOptions> options, CancellationToken ct)
    {
        if (Validate(request, idempotencyKey, options.Value) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        var outcome = await placer.PlaceAsync(me.Id, request, idempotencyKey, ct);
        return outcome switch
        {
            PlaceOutcome.Placed p => p.Replayed
                ? TypedResults.Ok(await queries.DetailAsync(me.Id, p.OrderNo, ct))
                : TypedResults.Created($"/api/orders/{p.OrderNo}", await queries.DetailAsync(me.Id, p.OrderNo, ct)),
            PlaceOutcome.Refused r => r.Problem,
            _ => throw new InvalidOperationException(),
        };
    }

    internal static Dictionary<string, string[]> Validate(PlaceOrderRequest r, string? key, OrderOptions o)
    {
        var errors = new Dictionary<string, string[]>();
        var hasLines = r.Lines is { Count: > 0 };
        var hasCart = r.CartSkuIds is { Count: > 0 };
        if (hasLines == hasCart) errors["lines"] = ["Give either lines (skuId, quantity) or cartSkuIds, not both and not neither."];
        if (hasLines)
        {
            if (r.Lines!.Count > o.MaxLines) errors["lines"] = [$"At most {o.MaxLines} lines per order."];
            else if (r.Lines.Contains(null!)) errors["lines"] = ["A line cannot be null."];
            else if (r.Lines.Any(l => l.Quantity < 1 || l.Quantity > o.MaxQuantity)) errors["lines"] = [$"Each quantity is 1 to {o.MaxQuantity}."];
            else if (r.Lines.Select(l => l.SkuId).Distinct().Count() != r.Lines.Count) errors["lines"] = ["Each SKU appears once."];
        }
        if (hasCart)
        {
            if (r.CartSkuIds!.Count > o.MaxLines) errors["cartSkuIds"] = [$"At most {o.MaxLines} lines per order."];
            else if (r.CartSkuIds.Distinct().Count() != r.CartSkuIds.Count) errors["cartSkuIds"] = ["Each SKU appears once."];
        }
        if (r.AddressId <= 0) errors["addressId"] = ["addressId is required."];
        if (r.PointsToUse < 0) errors["pointsToUse"] = ["pointsToUse cannot be negative."];
        if (r.MemberCouponId is <= 0) errors["memberCouponId"] = ["memberCouponId is a coupon id from GET /api/me/coupons."];
        if (r.Remark is { Length: > 200 }) errors["remark"] = ["remark is at most 200 characters."];
        if (key is not null && (key.Length is 0 or > 64 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')))
            errors[IdempotencyHeader] = ["Idempotency-Key is 1 to 64 characters of A-Z a-z 0-9 - _ . :"];
        return errors;
    }

    /// <summary>SHA-256 of the request's meaning (not its formatting), to tell a retry from a different order under one key.</summary>
    public static string Hash(PlaceOrderRequest r)
    {
        var canonical = JsonSerializer.Serialize(new
        {
            lines = r.Lines?.OrderBy(l => l.SkuId).Select(l => new[] { l.SkuId, l.Quantity }).ToArray(),
            cart = r.CartSkuIds?.Order().ToArray(),
            r.AddressId, r.PointsToUse, remark = r.Remark ?? "", coupon = r.MemberCouponId,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
