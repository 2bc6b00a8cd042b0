using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Loyalty;
using WeChatMall.Api.Features.Members;

namespace WeChatMall.Api.Features.Orders;

public sealed record OrderLineRequest(long SkuId, int Quantity);

/// <summary>
/// Either <see cref="Lines"/> (explicit SKUs and quantities) or <see cref="CartSkuIds"/> (those cart lines, at their
/// cart quantities; they leave the cart with the order). PointsToUse is capped by the redemption rule and the balance.
/// </summary>
public sealed record PlaceOrderRequest(IReadOnlyList<OrderLineRequest>? Lines, IReadOnlyList<long>? CartSkuIds,
    long AddressId, long PointsToUse, string? Remark);

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

    static Dictionary<string, string[]> Validate(PlaceOrderRequest r, string? key, OrderOptions o)
    {
        var errors = new Dictionary<string, string[]>();
        var hasLines = r.Lines is { Count: > 0 };
        var hasCart = r.CartSkuIds is { Count: > 0 };
        if (hasLines == hasCart) errors["lines"] = ["Give either lines (skuId, quantity) or cartSkuIds, not both and not neither."];
        if (hasLines)
        {
            if (r.Lines!.Count > o.MaxLines) errors["lines"] = [$"At most {o.MaxLines} lines per order."];
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
            r.AddressId, r.PointsToUse, remark = r.Remark ?? "",
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}

public abstract record PlaceOutcome
{
    public sealed record Placed(string OrderNo, bool Replayed) : PlaceOutcome;
    public sealed record Refused(ProblemHttpResult Problem) : PlaceOutcome;
}

/// <summary>The transaction behind <see cref="PlaceOrder"/>.</summary>
public sealed class OrderPlacer(MySqlDataSource db, ILoyalty loyalty, IOptions<OrderOptions> options, TimeProvider clock)
{
    sealed record SkuRow(long Id, long ProductId, long PriceFen, int Stock, string Spec, string Title, string Images, bool OnShelf);
    sealed record AddressRow(string Recipient, string Phone, string Province, string City, string District, string Detail, string? PostalCode);
    sealed record KeyedOrder(string OrderNo, string? RequestHash);
    sealed class Refusal(ProblemHttpResult problem) : Exception { public ProblemHttpResult Problem { get; } = problem; }

    const string KeyedSql = "SELECT order_no, request_hash FROM orders WHERE member_id = @memberId AND idempotency_key = @key";

    const string AddressSql = """
        SELECT recipient, phone, province, city, district, detail, postal_code FROM member_addresses
        WHERE id = @addressId AND member_id = @memberId
        """;

    const string CartSql = "SELECT sku_id, quantity FROM cart_items WHERE member_id = @memberId AND sku_id IN @skuIds FOR UPDATE";

    const string SkusSql = """
        SELECT s.id, s.product_id, s.price_fen, s.stock, s.spec, p.title, p.images, p.on_shelf
        FROM catalog_skus s JOIN catalog_products p ON p.id = s.product_id
        WHERE s.id IN @ids ORDER BY s.id
        """;

    const string BalanceSql = "SELECT points_balance FROM members WHERE id = @memberId";

    const string TakeStockSql = "UPDATE catalog_skus SET stock = stock - @quantity, updated_at = @now WHERE id = @id AND stock >= @quantity";

    const string SalesSql = "UPDATE catalog_products SET sales = sales + @quantity WHERE id = @productId";

    const string InsertOrderSql = """
        INSERT INTO orders (order_no, member_id, status, idempotency_key, request_hash, goods_fen, discount_fen, points_used,
            points_fen, shipping_fen, payable_fen, tier_code, address, remark, expires_at, created_at, updated_at)
        VALUES (@orderNo, @memberId, @status, @key, @hash, @goods, @discount, @pointsUsed, @pointsFen, @shipping, @payable,
            @tierCode, @address, @remark, @expiresAt, @now, @now);
        SELECT LAST_INSERT_ID();
        """;

    const string InsertLineSql = """
        INSERT INTO order_lines (order_id, sku_id, product_id, title, spec, image_url, unit_price_fen, quantity, paid_fen)
        VALUES (@orderId, @skuId, @productId, @title, @spec, @imageUrl, @unitPriceFen, @quantity, @paidFen)
        """;

    const string PlacedEventSql = """
        INSERT INTO order_events (order_id, from_status, to_status, actor, note, created_at)
        VALUES (@orderId, NULL, @status, @actor, 'placed', @now)
        """;

    const string ConsumeCartSql = "DELETE FROM cart_items WHERE member_id = @memberId AND sku_id IN @skuIds";

    public async Task<PlaceOutcome> PlaceAsync(long memberId, PlaceOrderRequest request, string? key, CancellationToken ct)
    {
        var hash = PlaceOrder.Hash(request);
        if (key is not null && await FindKeyedAsync(memberId, key, hash, ct) is { } earlier) return earlier;
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
                if (await FindKeyedAsync(memberId, key, hash, ct) is { } first) return first;
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
            : new PlaceOutcome.Refused(OrderProblems.Unprocessable("IDEMPOTENCY_KEY_REUSED",
                "This Idempotency-Key was already used for a different order", $"Order {row.OrderNo} was placed with it."));
    }

    async Task<PlaceOutcome> TryPlaceAsync(long memberId, PlaceOrderRequest request, string? key, string hash, CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);

        var address = await c.QuerySingleOrDefaultAsync<AddressRow>(new CommandDefinition(AddressSql,
            new { addressId = request.AddressId, memberId }, tx, cancellationToken: ct))
            ?? throw new Refusal(OrderProblems.Unprocessable("ADDRESS_NOT_FOUND", "No such shipping address", $"Address {request.AddressId} is not one of yours."));

        Dictionary<long, int> wanted;
        if (request.CartSkuIds is { Count: > 0 } cartIds)
        {
            var cart = (await c.QueryAsync<(long SkuId, int Quantity)>(new CommandDefinition(CartSql,
                new { memberId, skuIds = cartIds }, tx, cancellationToken: ct))).ToDictionary(r => r.SkuId, r => r.Quantity);
            if (cartIds.FirstOrDefault(id => !cart.ContainsKey(id)) is var missing and not 0)
                throw new Refusal(OrderProblems.Unprocessable("CART_LINE_NOT_FOUND", "A chosen cart line is not in your cart",
                    $"SKU {missing} is not in the cart.", new Dictionary<string, object?> { ["skuId"] = missing }));
            wanted = cart;
        }
        else wanted = request.Lines!.ToDictionary(l => l.SkuId, l => l.Quantity);

        var skus = (await c.QueryAsync<SkuRow>(new CommandDefinition(SkusSql, new { ids = wanted.Keys.ToArray() }, tx, cancellationToken: ct))).ToList();
        foreach (var id in wanted.Keys.Order())
        {
            if (skus.Find(s => s.Id == id) is not { } sku)
                throw new Refusal(OrderProblems.Unprocessable("SKU_NOT_FOUND", "A SKU in the order no longer exists", $"SKU {id} does not exist.",
                    new Dictionary<string, object?> { ["skuId"] = id }));
            if (!sku.OnShelf)
                throw new Refusal(OrderProblems.Unprocessable("SKU_OFF_SHELF", "A product in the order is not on sale", $"SKU {id} ({sku.Title}) is off the shelf.",
                    new Dictionary<string, object?> { ["skuId"] = id }));
            // Sold out already: refuse from the plain read, without queueing for the row lock (a flash sale's
            // thousands of late attempts would otherwise serialize on it). Enough stock is still re-checked below.
            if (sku.Stock < wanted[id]) throw OutOfStock(sku.Id, sku.Title, wanted[id]);
        }

        var benefits = await loyalty.GetBenefitsAsync(c, tx, memberId, ct);
        var gross = skus.Select(s => s.PriceFen * wanted[s.Id]).ToList();
        var goods = gross.Sum();
        var discount = Math.Min(benefits.DiscountOn(goods), goods - 1);
        var afterDiscount = goods - discount;
        var shipping = o.FreeShippingFromFen > 0 && afterDiscount >= o.FreeShippingFromFen ? 0 : o.ShippingFeeFen;

        long pointsUsed = 0, pointsFen = 0;
        if (request.PointsToUse > 0)
        {
            var balance = await c.ExecuteScalarAsync<long>(new CommandDefinition(BalanceSql, new { memberId }, tx, cancellationToken: ct));
            pointsUsed = Math.Min(request.PointsToUse, Math.Min(balance, loyalty.Redemption.MaxPoints(afterDiscount)));
            pointsFen = Math.Min(loyalty.Redemption.ValueFen(pointsUsed), afterDiscount - 1);
            if (pointsFen <= 0) pointsUsed = pointsFen = 0;
        }
        var payable = afterDiscount - pointsFen + shipping;

        // Stock in SKU id order: every order locks rows in the same order, so orders never deadlock on each other.
        foreach (var sku in skus)
        {
            var taken = await c.ExecuteAsync(new CommandDefinition(TakeStockSql, new { id = sku.Id, quantity = wanted[sku.Id], now }, tx, cancellationToken: ct));
            if (taken == 0) throw OutOfStock(sku.Id, sku.Title, wanted[sku.Id]);
        }
        foreach (var product in skus.GroupBy(s => s.ProductId).OrderBy(g => g.Key))
            await c.ExecuteAsync(new CommandDefinition(SalesSql, new { productId = product.Key, quantity = product.Sum(s => wanted[s.Id]) }, tx, cancellationToken: ct));

        var orderNo = OrderNumbers.New(now);
        var addressJson = JsonSerializer.Serialize(address, JsonSerializerOptions.Web);
        var orderId = await c.ExecuteScalarAsync<long>(new CommandDefinition(InsertOrderSql, new
        {
            orderNo, memberId, status = OrderStatus.PendingPayment, key, hash = key is null ? null : hash,
            goods, discount, pointsUsed, pointsFen, shipping, payable, tierCode = benefits.TierCode,
            address = addressJson, remark = string.IsNullOrWhiteSpace(request.Remark) ? null : request.Remark.Trim(),
            expiresAt = now.AddMinutes(o.PaymentMinutes), now,
        }, tx, cancellationToken: ct));

        var shares = Shares.Split(payable, gross);
        for (var i = 0; i < skus.Count; i++)
        {
            var s = skus[i];
            await c.ExecuteAsync(new CommandDefinition(InsertLineSql, new
            {
                orderId, skuId = s.Id, productId = s.ProductId, title = s.Title, spec = s.Spec, imageUrl = FirstImage(s.Images),
                unitPriceFen = s.PriceFen, quantity = wanted[s.Id], paidFen = shares[i],
            }, tx, cancellationToken: ct));
        }
        await c.ExecuteAsync(new CommandDefinition(PlacedEventSql,
            new { orderId, status = OrderStatus.PendingPayment, actor = $"member:{memberId}", now }, tx, cancellationToken: ct));

        if (pointsUsed > 0 && await loyalty.RedeemAsync(c, tx, memberId, pointsUsed, orderNo, now, ct) is not PointsPosted)
            throw new Refusal(OrderProblems.Conflict("INSUFFICIENT_POINTS", "Not enough points", "The points balance changed; try again."));

        if (request.CartSkuIds is { Count: > 0 })
            await c.ExecuteAsync(new CommandDefinition(ConsumeCartSql, new { memberId, skuIds = request.CartSkuIds }, tx, cancellationToken: ct));

        await tx.CommitAsync(ct);
        return new PlaceOutcome.Placed(orderNo, Replayed: false);
    }

    static Refusal OutOfStock(long skuId, string title, int quantity) => new(OrderProblems.Conflict("OUT_OF_STOCK", "Not enough stock",
        $"SKU {skuId} ({title}) has not enough stock for {quantity}.", new Dictionary<string, object?> { ["skuId"] = skuId }));

    static string? FirstImage(string imagesJson)
    {
        using var doc = JsonDocument.Parse(imagesJson);
        return doc.RootElement.ValueKind == JsonValueKind.Array && doc.RootElement.GetArrayLength() > 0
            ? doc.RootElement[0].GetString() : null;
    }
}

/// <summary>Order numbers: 14 digits of UTC time and 10 random digits (24 chars, within WeChat Pay's out_trade_no rules).</summary>
public static class OrderNumbers
{
    public static string New(DateTime now) =>
        now.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(0, 100_000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(0, 100_000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Splits an amount over lines in proportion to their weights; the parts sum exactly to the amount.</summary>
public static class Shares
{
    public static long[] Split(long amount, IReadOnlyList<long> weights)
    {
        var total = weights.Sum();
        var parts = new long[weights.Count];
        var remainders = new (Int128 Rem, int Index)[weights.Count];
        long given = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = (Int128)amount * weights[i];
            parts[i] = (long)(exact / total);
            remainders[i] = (exact % total, i);
            given += parts[i];
        }
        // The leftover fen go one each to the lines with the largest remainders (ties: the earlier line).
        foreach (var (_, index) in remainders.OrderByDescending(r => r.Rem).ThenBy(r => r.Index).Take((int)(amount - given)))
            parts[index]++;
        return parts;
    }
}
