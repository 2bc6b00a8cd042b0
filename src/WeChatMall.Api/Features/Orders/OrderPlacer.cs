using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Features.Loyalty;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Orders;

public abstract record PlaceOutcome
{
    public sealed record Placed(string OrderNo, bool Replayed) : PlaceOutcome;
    public sealed record Refused(ProblemHttpResult Problem) : PlaceOutcome;
}

/// <summary>The transaction behind <see cref="PlaceOrder"/>.</summary>
public sealed class OrderPlacer(MySqlDataSource db, ILoyalty loyalty, IOrderDiscounts discounts, FlashSaleGate gate,
    FlashSalePlacements placements, IOptions<OrderOptions> options, TimeProvider clock)
{
    sealed record KeyedOrder(string OrderNo, string? RequestHash);
    sealed class Refusal(ProblemHttpResult problem) : Exception { public ProblemHttpResult Problem { get; } = problem; }

    const string KeyedSql = "SELECT order_no, request_hash FROM orders WHERE member_id = @memberId AND idempotency_key = @key";

    const string BalanceSql = "SELECT points_balance FROM members WHERE id = @memberId";

    const string ConsumeCartSql = "DELETE FROM cart_items WHERE member_id = @memberId AND sku_id IN @skuIds";

    public async Task<PlaceOutcome> PlaceAsync(long memberId, PlaceOrderRequest request, string? key, CancellationToken ct)
    {
        // The request's hash only matters with an Idempotency-Key (to tell a retry from another order under the same key);
        // a flash sale's thousands of keyless attempts skip the serialisation and SHA-256.
        var hash = key is null ? null : PlaceOrder.Hash(request);
        if (key is not null && await FindKeyedAsync(memberId, key, hash!, ct) is { } earlier) return earlier;

        // Flash-sale SKUs pass the Redis gate first: a sold-out or over-limit attempt ends here, before MySQL. Orders from
        // the cart skip it (their quantities are read in the transaction); MySQL decides for them, as for every order.
        var pass = request.CartSkuIds is { Count: > 0 } || request.Lines is not { Count: > 0 } lines
            ? new FlashSaleGate.Pass([], null)
            : await gate.ReserveAsync(memberId, lines.GroupBy(l => l.SkuId).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity)), ct);
        if (pass.Refusal is { } refused) return new PlaceOutcome.Refused(refused);
        if (pass.Holds.Count == 0) return await PlaceInMySqlAsync(memberId, request, key, hash, ct);

        PlaceOutcome outcome;
        try
        {
            // Its turn among this instance's orders of the same SKU (its lowest gated one).
            using (await placements.EnterAsync(pass.Holds.Min(h => h.SkuId), ct))
                outcome = await PlaceInMySqlAsync(memberId, request, key, hash, ct);
        }
        catch
        {
            await gate.ReleaseAsync(memberId, pass.Holds);
            throw;
        }
        switch (outcome)
        {
            case PlaceOutcome.Placed { Replayed: false }:
                break; // the reserved units are in the order now
            case PlaceOutcome.Refused r when r.Problem.ProblemDetails.Extensions.TryGetValue("code", out var code) && code is "OUT_OF_STOCK":
                await gate.ForgetAsync(pass.Holds.Select(h => h.SkuId)); // the gate had units MySQL has not: rebuild it from MySQL
                break;
            default:
                await gate.ReleaseAsync(memberId, pass.Holds);
                break;
        }
        return outcome;
    }

    async Task<PlaceOutcome> PlaceInMySqlAsync(long memberId, PlaceOrderRequest request, string? key, string? hash, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryPlaceAsync(memberId, request, key, hash, ct);
            }
            catch (Refusal r)
            {
                return new PlaceOutcome.Refused(r.Problem);
            }
            catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry && key is not null
                                            && ex.Message.Contains("ux_orders_idempotency", StringComparison.Ordinal))
            {
                // The same tap raced itself: the other request committed first.
                if (await FindKeyedAsync(memberId, key, hash!, ct) is { } first) return first;
                if (attempt >= 4) throw;
            }
            catch (MySqlException ex) when (attempt < 5 && ex.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout
                                            or MySqlErrorCode.DuplicateKeyEntry)
            {
                // Deadlock with another writer (rolled back by InnoDB), or an order number collision: start over.
            }
        }
    }

    async Task<PlaceOutcome?> FindKeyedAsync(long memberId, string key, string hash, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<KeyedOrder>(new CommandDefinition(KeyedSql, new { memberId, key }, cancellationToken: ct));
        if (row is null) return null;
        return row.RequestHash == hash
            ? new PlaceOutcome.Placed(row.OrderNo, Replayed: true)
            : new PlaceOutcome.Refused(Problems.Unprocessable("IDEMPOTENCY_KEY_REUSED",
                "This Idempotency-Key was already used for a different order", $"Order {row.OrderNo} was placed with it."));
    }

    async Task<PlaceOutcome> TryPlaceAsync(long memberId, PlaceOrderRequest request, string? key, string? hash, CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var fromCart = request.CartSkuIds is { Count: > 0 };
        var reads = await PlacementReads.ReadAsync(c, tx, memberId, request.AddressId,
            fromCart ? request.CartSkuIds! : [.. request.Lines!.Select(l => l.SkuId)], fromCart, now, ct);
        var address = reads.ShipTo
            ?? throw new Refusal(Problems.Unprocessable("ADDRESS_NOT_FOUND", "No such shipping address", $"Address {request.AddressId} is not one of yours."));

        Dictionary<long, int> wanted;
        if (reads.Cart is { } cart)
        {
            if (request.CartSkuIds!.FirstOrDefault(id => !cart.ContainsKey(id)) is var missing and not 0)
                throw new Refusal(Problems.Unprocessable("CART_LINE_NOT_FOUND", "A chosen cart line is not in your cart",
                    $"SKU {missing} is not in the cart.", new Dictionary<string, object?> { ["skuId"] = missing }));
            wanted = cart.ToDictionary();
        }
        else wanted = request.Lines!.ToDictionary(l => l.SkuId, l => l.Quantity);

        var skus = reads.Skus;
        foreach (var id in wanted.Keys.Order())
        {
            if (skus.FirstOrDefault(s => s.Id == id) is not { } sku)
                throw new Refusal(Problems.Unprocessable("SKU_NOT_FOUND", "A SKU in the order no longer exists", $"SKU {id} does not exist.",
                    new Dictionary<string, object?> { ["skuId"] = id }));
            if (!sku.OnShelf)
                throw new Refusal(Problems.Unprocessable("SKU_OFF_SHELF", "A product in the order is not on sale", $"SKU {id} ({sku.Title}) is off the shelf.",
                    new Dictionary<string, object?> { ["skuId"] = id }));
            // Sold out already: refuse from the plain read, without queueing for the row lock (a flash sale's
            // thousands of late attempts would otherwise serialize on it). Enough stock is still re-checked below.
            if (sku.Stock < wanted[id]) throw OutOfStock(sku.Id, sku.Title, wanted[id]);
        }
        if (PurchaseLimits.Check(reads.OpenUnpaid, reads.Limits, wanted, o.MaxOpenUnpaidOrders) is { } limited) throw new Refusal(limited);

        var benefits = await loyalty.BenefitsOfTierAsync(reads.TierCode, ct);
        var gross = skus.Select(s => s.PriceFen * wanted[s.Id]).ToList();
        var orderNo = OrderNumbers.New(now);
        CouponDiscount? coupon = null;
        if (request.MemberCouponId is { } couponId)
        {
            // Locked in this transaction: a second order with the same coupon waits for this one, then finds it locked.
            var lines = skus.Select((s, i) => new DiscountLine(s.Id, s.ProductId, s.CategoryId, gross[i], s.FlashSale)).ToList();
            coupon = await discounts.LockAsync(c, tx, memberId, couponId, orderNo, lines, benefits.DiscountOn(gross.Sum()), now, ct) switch
            {
                CouponCheck.Applies a => a.Discount,
                CouponCheck.Refused r => throw new Refusal(r.Problem),
                _ => throw new InvalidOperationException(),
            };
        }
        var balance = request.PointsToUse > 0
            ? await c.ExecuteScalarAsync<long>(new CommandDefinition(BalanceSql, new { memberId }, tx, cancellationToken: ct)) : 0;
        var price = OrderPricing.Price(gross, benefits, coupon, request.PointsToUse, balance, loyalty.Redemption, o);
        var (goods, discount, pointsUsed, pointsFen, shipping, payable) =
            (price.GoodsFen, price.TierFen, price.PointsUsed, price.PointsFen, price.ShippingFen, price.PayableFen);

        var addressJson = JsonSerializer.Serialize(address, JsonSerializerOptions.Web);
        var shares = price.LineShares(gross, coupon);
        await OrderStore.InsertAsync(c, tx,
            new NewOrder(orderNo, memberId, key, hash, goods, discount, pointsUsed, pointsFen, shipping, payable,
                benefits.TierCode, addressJson, string.IsNullOrWhiteSpace(request.Remark) ? null : request.Remark.Trim(),
                now.AddMinutes(o.PaymentMinutes), price.CouponFen),
            [.. skus.Select((s, i) => new NewOrderLine(s.Id, s.ProductId, s.Title, s.Spec, FirstImage(s.Images), s.PriceFen, wanted[s.Id], shares[i]))],
            $"member:{memberId}", now, ct);

        if (pointsUsed > 0 && await loyalty.RedeemAsync(c, tx, memberId, pointsUsed, orderNo, now, ct) is not PointsPosted)
            throw new Refusal(Problems.Conflict("INSUFFICIENT_POINTS", "Not enough points", "The points balance changed; try again."));

        if (request.CartSkuIds is { Count: > 0 })
            await c.ExecuteAsync(new CommandDefinition(ConsumeCartSql, new { memberId, skuIds = request.CartSkuIds }, tx, cancellationToken: ct));

        // Stock last, with the commit in the same round trip: a flash sale's orders queue for these rows until each commits.
        if (await Stock.TakeAndCommitAsync(c, tx, [.. skus.Select(s => new Stock.OrderLineTake(s.Id, s.ProductId, wanted[s.Id]))], now, ct) is { } shortSkuId)
            throw OutOfStock(shortSkuId, skus.First(s => s.Id == shortSkuId).Title, wanted[shortSkuId]);
        // Committed already: this only closes the transaction object (an empty COMMIT on the server), and nothing may cancel it.
        await tx.CommitAsync(CancellationToken.None);
        return new PlaceOutcome.Placed(orderNo, Replayed: false);
    }

    static Refusal OutOfStock(long skuId, string title, int quantity) => new(Problems.Conflict("OUT_OF_STOCK", "Not enough stock",
        $"SKU {skuId} ({title}) has not enough stock for {quantity}.", new Dictionary<string, object?> { ["skuId"] = skuId }));

    static string? FirstImage(string imagesJson)
    {
        using var doc = JsonDocument.Parse(imagesJson);
        return doc.RootElement.ValueKind == JsonValueKind.Array && doc.RootElement.GetArrayLength() > 0
            ? doc.RootElement[0].GetString() : null;
    }
}
