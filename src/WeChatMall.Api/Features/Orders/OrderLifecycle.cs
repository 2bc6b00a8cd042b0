using Dapper;
using MySqlConnector;
using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Features.Loyalty;
using WeChatMall.Api.Infrastructure.Database;
using WeChatMall.Api.Infrastructure.Outbox;

namespace WeChatMall.Api.Features.Orders;

/// <summary>
/// Status changes after placing: cancel (stock, points and the WeChat Pay order given back), ship (shipping info queued
/// for WeChat) and complete. Each is one transaction around <see cref="OrderTransitions.TryMoveAsync"/>, so a change
/// raced by another instance, a notification or a second tap happens once; the loser gets false.
/// </summary>
public sealed class OrderLifecycle(MySqlDataSource db, ILoyalty loyalty, IOrderDiscounts discounts, OutboxWriter outbox, FlashSaleGate gate, TimeProvider clock)
{
    public const string CloseOrderKind = "pay.close_order";
    public const string UploadShippingKind = "wechat.upload_shipping";

    sealed record CancelRow(string OrderNo, long MemberId, long PointsUsed, string? PrepayId);

    const string LinesSql = "SELECT sku_id, product_id, quantity FROM order_lines WHERE order_id = @orderId ORDER BY sku_id";
    const string CancelRowSql = "SELECT order_no, member_id, points_used, prepay_id FROM orders WHERE id = @orderId";

    /// <summary>pending_payment → cancelled; returns stock (SKUs deleted since are skipped), redeemed points and the coupon.</summary>
    public async Task<bool> CancelAsync(long orderId, string actor, string reason, CancellationToken ct)
    {
        return await LockConflictRetry.RunAsync(() => TryCancelAsync(orderId, actor, reason, ct), ct);
    }

    async Task<bool> TryCancelAsync(long orderId, string actor, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var moved = await OrderTransitions.TryMoveAsync(c, tx, orderId, [OrderStatus.PendingPayment], OrderStatus.Cancelled,
            actor, reason, now, ct, "cancelled_at = @now, cancel_reason = @reason", new { reason });
        if (moved is null) return false;

        var lines = await c.QueryAsync<(long SkuId, long ProductId, int Quantity)>(new CommandDefinition(LinesSql, new { orderId }, tx, cancellationToken: ct));
        // SKU id order, as placing takes them, so a cancel and an order never deadlock on each other.
        foreach (var l in lines)
            await Stock.ReturnAsync(c, tx, l.SkuId, l.Quantity, now, ct);
        foreach (var p in lines.GroupBy(l => l.ProductId).OrderBy(g => g.Key))
            await Stock.AddSalesAsync(c, tx, p.Key, -p.Sum(l => l.Quantity), ct);

        var order = await c.QuerySingleAsync<CancelRow>(new CommandDefinition(CancelRowSql, new { orderId }, tx, cancellationToken: ct));
        if (order.PointsUsed > 0)
            await loyalty.ReturnRedeemedAsync(c, tx, order.MemberId, order.PointsUsed, order.OrderNo, now, ct);
        await discounts.OnOrderReleasedAsync(c, tx, order.OrderNo, reason, now, ct);
        if (order.PrepayId is not null)
            await outbox.EnqueueAsync(c, tx, CloseOrderKind, $"{CloseOrderKind}:{order.OrderNo}", new { orderNo = order.OrderNo }, ct);
        await tx.CommitAsync(ct);
        // The units are back in MySQL: the flash-sale gates of these SKUs are rebuilt from it (with them) at the next attempt.
        await gate.ForgetAsync(lines.Select(l => l.SkuId));
        return true;
    }

    /// <summary>
    /// paid → shipped with carrier and tracking number; the upload to WeChat (发货信息录入) goes through the outbox.
    /// A partially refunded order ships; a fully refunded one does not (false).
    /// </summary>
    public async Task<bool> ShipAsync(long orderId, string orderNo, string carrier, string trackingNo, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var moved = await OrderTransitions.TryMoveAsync(c, tx, orderId, [OrderStatus.Paid], OrderStatus.Shipped, "admin",
            $"{carrier} {trackingNo}", now, ct, "carrier = @carrier, tracking_no = @trackingNo, shipped_at = @now", new { carrier, trackingNo });
        if (moved is null) return false;
        await outbox.EnqueueAsync(c, tx, UploadShippingKind, $"{UploadShippingKind}:{orderNo}", new { orderNo }, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>shipped → completed, by the shopper's confirmation or the auto-complete job.</summary>
    public async Task<bool> CompleteAsync(long orderId, string actor, string? note, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var moved = await OrderTransitions.TryMoveAsync(c, tx, orderId, [OrderStatus.Shipped], OrderStatus.Completed, actor, note, now, ct,
            "completed_at = @now");
        if (moved is null) return false;
        await tx.CommitAsync(ct);
        return true;
    }
}
