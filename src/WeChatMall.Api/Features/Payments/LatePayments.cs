using System.Data.Common;
using Dapper;
using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Features.Orders;
using WeChatMall.Api.Infrastructure.Outbox;

namespace WeChatMall.Api.Features.Payments;

/// <summary>The two ends of a payment learnt after expiry cancelled the order: revive it, or refund it in full.</summary>
static class LatePayments
{
    sealed record LineQty(long SkuId, int Quantity);

    // Each line takes its stock back with the same conditional decrement orders use (never below zero). If one line
    // cannot, the lines already taken are given back in the same transaction and the caller refunds instead.
    public static async Task<bool> TryRetakeAsync(DbConnection c, DbTransaction tx, PayOrderRow order, DateTime now, CancellationToken ct)
    {
        var lines = (await c.QueryAsync<LineQty>(new CommandDefinition(
            "SELECT sku_id AS SkuId, quantity AS Quantity FROM order_lines WHERE order_id = @id ORDER BY sku_id",
            new { id = order.Id }, tx, cancellationToken: ct))).AsList();
        var taken = new List<LineQty>();
        var ok = true;
        foreach (var line in lines)
        {
            if (!await Stock.TakeAsync(c, tx, line.SkuId, line.Quantity, now, ct)) { ok = false; break; }
            taken.Add(line);
        }
        // Points spent on the order went back at cancellation; take them again under their own key (the original
        // "order-redeem:" key is already used, and the ledger would answer it as a duplicate).
        if (ok && order.PointsUsed > 0)
            ok = await PointsLedger.PostAsync(c, tx, order.MemberId, -order.PointsUsed, "Paid for order (revived after late payment)",
                order.OrderNo, $"order-redeem-revive:{order.OrderNo}", now, ct) is PointsPosted;
        if (ok) return true;
        foreach (var line in taken)
            await Stock.ReturnAsync(c, tx, line.SkuId, line.Quantity, now, ct);
        return false;
    }

    /// <summary>
    /// The order stays cancelled (its transaction written down) and a full refund row is submitted through the outbox
    /// (the notification must answer fast); its refund_state becomes refunded when WeChat Pay confirms.
    /// </summary>
    public static async Task RefundAsync(DbConnection c, DbTransaction tx, OutboxWriter outbox, PayOrderRow order, string transactionId,
        DateTime paidAt, string actor, DateTime now, CancellationToken ct)
    {
        if (!await OrderStore.RecordLatePaymentAsync(c, tx, order.Id, transactionId, paidAt, actor,
                $"paid after expiry by transaction {transactionId}: refunded automatically", now, ct))
            throw new InvalidOperationException($"Order {order.OrderNo} changed under its row lock.");
        var outRefundNo = RefundNumbers.LatePayment(order.OrderNo);
        await RefundStore.InsertAsync(c, tx, order.Id, outRefundNo, order.PayableFen, RefundStatus.Processing, RefundSource.LatePayment,
            "订单已超时取消，自动退款", [], actor, now, ct);
        await outbox.EnqueueAsync(c, tx, SubmitRefundHandler.Kind, $"{SubmitRefundHandler.Kind}:{outRefundNo}",
            new SubmitRefundPayload(outRefundNo), ct);
    }
}
