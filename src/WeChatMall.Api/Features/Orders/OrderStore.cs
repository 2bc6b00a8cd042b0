using System.Data.Common;
using System.Text;
using Dapper;

namespace WeChatMall.Api.Features.Orders;

public sealed record NewOrder(string OrderNo, long MemberId, string? IdempotencyKey, string? RequestHash, long GoodsFen,
    long DiscountFen, long PointsUsed, long PointsFen, long ShippingFen, long PayableFen, string? TierCode, string Address,
    string? Remark, DateTime ExpiresAt, long CouponFen = 0);

public sealed record NewOrderLine(long SkuId, long ProductId, string Title, string Spec, string? ImageUrl, long UnitPriceFen,
    int Quantity, long PaidFen);

public sealed record ReturnedQuantity(long SkuId, int Quantity);

/// <summary>
/// Every write to orders and order_lines that is not a state move (those are <see cref="OrderTransitions"/>), inside the
/// caller's transaction. Other features (Payments, Members) call these instead of writing SQL against the tables.
/// </summary>
public static class OrderStore
{
    const string InsertOrderSql = """
        INSERT INTO orders (order_no, member_id, status, idempotency_key, request_hash, goods_fen, discount_fen, points_used,
            points_fen, shipping_fen, payable_fen, tier_code, address, remark, expires_at, coupon_fen, created_at, updated_at)
        VALUES (@OrderNo, @MemberId, 'pending_payment', @IdempotencyKey, @RequestHash, @GoodsFen, @DiscountFen, @PointsUsed,
            @PointsFen, @ShippingFen, @PayableFen, @TierCode, @Address, @Remark, @ExpiresAt, @CouponFen, @now, @now);
        """;

    // The lines and the event find the order by its number (unique): LAST_INSERT_ID() changes with every insert of the
    // batch. A subquery in VALUES, not INSERT ... SELECT: with innodb_autoinc_lock_mode 1 (the default) InnoDB holds a
    // table-wide AUTO-INC lock for an INSERT ... SELECT, which every concurrent order would queue on.
    // The batch's only result, the order id, comes last: it is read only once every insert before it succeeded.
    const string OrderIdSql = "(SELECT id FROM orders WHERE order_no = @OrderNo)";

    static string InsertLineSql(int i) => $"""
        INSERT INTO order_lines (order_id, sku_id, product_id, title, spec, image_url, unit_price_fen, quantity, paid_fen)
        VALUES ({OrderIdSql}, @sku{i}, @product{i}, @title{i}, @spec{i}, @image{i}, @unitPrice{i}, @quantity{i}, @paid{i});
        """;

    const string PlacedEventSql = $"""
        INSERT INTO order_events (order_id, from_status, to_status, actor, note, created_at)
        VALUES ({OrderIdSql}, NULL, 'pending_payment', @actor, 'placed', @now);
        SELECT id FROM orders WHERE order_no = @OrderNo;
        """;

    /// <summary>A new pending_payment order with its lines and the "placed" event, in one round trip; returns the order id.</summary>
    public static async Task<long> InsertAsync(DbConnection c, DbTransaction tx, NewOrder order, IReadOnlyList<NewOrderLine> lines,
        string actor, DateTime now, CancellationToken ct)
    {
        var sql = new StringBuilder(InsertOrderSql);
        var p = new DynamicParameters(order);
        p.Add("now", now);
        p.Add("actor", actor);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            sql.Append('\n').Append(InsertLineSql(i));
            p.Add($"sku{i}", line.SkuId);
            p.Add($"product{i}", line.ProductId);
            p.Add($"title{i}", line.Title);
            p.Add($"spec{i}", line.Spec);
            p.Add($"image{i}", line.ImageUrl);
            p.Add($"unitPrice{i}", line.UnitPriceFen);
            p.Add($"quantity{i}", line.Quantity);
            p.Add($"paid{i}", line.PaidFen);
        }
        sql.Append('\n').Append(PlacedEventSql);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(sql.ToString(), p, tx, cancellationToken: ct));
    }

    /// <summary>Keeps the prepay_id of a still pending order (reused for 2 hours); false when the order moved meanwhile.</summary>
    public static async Task<bool> SetPrepayAsync(DbConnection c, DbTransaction? tx, long orderId, string prepayId, string payerOpenid,
        DateTime now, CancellationToken ct)
        => await c.ExecuteAsync(new CommandDefinition("""
            UPDATE orders SET prepay_id = @prepayId, payer_openid = @payerOpenid, prepay_at = @now, updated_at = @now
            WHERE id = @orderId AND status = 'pending_payment'
            """, new { orderId, prepayId, payerOpenid, now }, tx, cancellationToken: ct)) == 1;

    /// <summary>Reconciliation's claim of a pending order: only one instance queries it per round.</summary>
    public static async Task<bool> TryClaimPayCheckAsync(DbConnection c, long orderId, DateTime now, DateTime recheck, CancellationToken ct)
        => await c.ExecuteAsync(new CommandDefinition("""
            UPDATE orders SET pay_checked_at = @now WHERE id = @orderId AND (pay_checked_at IS NULL OR pay_checked_at <= @recheck)
            """, new { orderId, now, recheck }, cancellationToken: ct)) == 1;

    public static Task SetPointsEarnedAsync(DbConnection c, DbTransaction tx, long orderId, long points, CancellationToken ct)
        => c.ExecuteAsync(new CommandDefinition("UPDATE orders SET points_earned = @points WHERE id = @orderId",
            new { orderId, points }, tx, cancellationToken: ct));

    /// <summary>
    /// A payment learnt after expiry cancelled the order, which stays cancelled (and is refunded in full): the transaction
    /// is written down so a redelivered notification is a duplicate, not another late payment.
    /// </summary>
    public static async Task<bool> RecordLatePaymentAsync(DbConnection c, DbTransaction tx, long orderId, string transactionId,
        DateTime paidAt, string actor, string note, DateTime now, CancellationToken ct)
    {
        var n = await c.ExecuteAsync(new CommandDefinition("""
            UPDATE orders SET paid_at = @paidAt, transaction_id = @transactionId, updated_at = @now
            WHERE id = @orderId AND status = 'cancelled' AND transaction_id IS NULL
            """, new { orderId, transactionId, paidAt, now }, tx, cancellationToken: ct));
        if (n == 0) return false;
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO order_events (order_id, from_status, to_status, actor, note, created_at)
            VALUES (@orderId, 'cancelled', 'cancelled', @actor, @note, @now)
            """, new { orderId, actor, note, now }, tx, cancellationToken: ct));
        return true;
    }

    /// <summary>A member merge: the merged member's orders now belong to the survivor. Returns how many moved.</summary>
    public static Task<int> MoveToMemberAsync(DbConnection c, DbTransaction tx, long fromMemberId, long toMemberId, CancellationToken ct)
        => c.ExecuteAsync(new CommandDefinition("UPDATE orders SET member_id = @toMemberId WHERE member_id = @fromMemberId",
            new { fromMemberId, toMemberId }, tx, cancellationToken: ct));

    /// <summary>
    /// Goods came back: adds each quantity to its line's refunded_quantity, never past the quantity bought. Returns what
    /// was recorded, per SKU in SKU id order (the order stock rows are locked in everywhere), for the caller to restock.
    /// </summary>
    public static async Task<IReadOnlyList<ReturnedQuantity>> RecordReturnedAsync(DbConnection c, DbTransaction tx, long orderId,
        IEnumerable<(long LineId, int Quantity)> lines, CancellationToken ct)
    {
        var returned = new List<ReturnedQuantity>();
        foreach (var (lineId, quantity) in lines)
        {
            var skuId = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT sku_id FROM order_lines WHERE id = @lineId AND order_id = @orderId FOR UPDATE", new { lineId, orderId }, tx, cancellationToken: ct));
            if (skuId is null) continue;
            var n = await c.ExecuteAsync(new CommandDefinition("""
                UPDATE order_lines SET refunded_quantity = refunded_quantity + @quantity
                WHERE id = @lineId AND order_id = @orderId AND refunded_quantity + @quantity <= quantity
                """, new { lineId, orderId, quantity }, tx, cancellationToken: ct));
            if (n == 1) returned.Add(new ReturnedQuantity(skuId.Value, quantity));
        }
        return [.. returned.GroupBy(r => r.SkuId).OrderBy(g => g.Key).Select(g => new ReturnedQuantity(g.Key, g.Sum(r => r.Quantity)))];
    }
}
