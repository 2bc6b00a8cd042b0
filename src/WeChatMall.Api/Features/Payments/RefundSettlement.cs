using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Loyalty;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Features.Orders;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Api.Features.Payments;

/// <summary>
/// Sends a processing refund to WeChat Pay and applies what WeChat Pay says about it (create answer, refund-notify,
/// query). SUCCESS is applied once: refund row processing → succeeded is the conditional step, and the order's
/// refunded_fen, loyalty reversal, points return and stock return happen in that same transaction.
/// </summary>
public sealed class RefundSettlement(MySqlDataSource db, IServiceProvider services, ILoyalty loyalty, TimeProvider time,
    ILogger<RefundSettlement> logger)
{
    // Resolved when used: the client needs WeChat Pay keys, and this class is built even where they are not configured.
    WeChatPayClient Client => services.GetRequiredService<WeChatPayClient>();

    const string FindSql = $"SELECT {RefundRow.Columns} FROM order_refunds WHERE out_refund_no = @outRefundNo";

    /// <summary>POST the refund (safe to repeat: the same out_refund_no is the same refund). Failures stay processing for reconciliation.</summary>
    public async Task SubmitAsync(string outRefundNo, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var refund = await c.QuerySingleOrDefaultAsync<RefundRow>(new CommandDefinition(FindSql, new { outRefundNo }, cancellationToken: ct));
        if (refund is not { Status: RefundStatus.Processing }) return;
        var order = await c.QuerySingleAsync<PayOrderRow>(new CommandDefinition(
            $"SELECT {PayOrderRow.Columns} FROM orders WHERE id = @id", new { id = refund.OrderId }, cancellationToken: ct));
        await c.CloseAsync(); // back to the pool while WeChat Pay answers (up to its timeout)
        Refund answer;
        try
        {
            answer = await Client.CreateRefundAsync(
                new RefundRequest(order.OrderNo, outRefundNo, refund.AmountFen, order.PayableFen, refund.Reason,
                    RefundNotifyUrl.For(services.GetRequiredService<IOptions<WeChatPayOptions>>().Value)), ct);
        }
        catch (WeChatPayException ex) when (!ex.IsTransient && !ex.IsNotEnoughBalance)
        {
            // Refused for good (too old, more than paid…): an operator must act; the order stays refunding.
            await c.OpenAsync(ct);
            await c.ExecuteAsync(new CommandDefinition("""
                UPDATE order_refunds SET status = 'failed', note = @note, updated_at = @now WHERE id = @id AND status = 'processing'
                """, new { id = refund.Id, note = Trim($"{ex.Code}: {ex.Message}"), now = Now }, cancellationToken: ct));
            Log.RefundRefused(logger, outRefundNo, ex.Code ?? "", ex.RequestId ?? "");
            return;
        }
        await c.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE order_refunds SET refund_id = @refundId, wechat_status = @status, submitted_at = COALESCE(submitted_at, @now), updated_at = @now
            WHERE id = @id
            """, new { id = refund.Id, refundId = answer.RefundId, status = answer.Status, now = Now }, cancellationToken: ct));
        if (answer.Status is "SUCCESS" or "CLOSED")
            await ApplyAsync(outRefundNo, answer.Status, answer.RefundId, answer.Amount?.Refund, "refund-api", ct);
    }

    /// <summary>Queries a processing refund; one never received by WeChat Pay is submitted again.</summary>
    public async Task ReconcileAsync(string outRefundNo, CancellationToken ct)
    {
        Refund r;
        try
        {
            r = await Client.QueryRefundAsync(outRefundNo, ct);
        }
        catch (WeChatPayException ex) when (ex.IsOrderNotExist)
        {
            await SubmitAsync(outRefundNo, ct);
            return;
        }
        await ApplyAsync(outRefundNo, r.Status, r.RefundId, r.Amount?.Refund, "reconcile", ct);
    }

    public async Task<ApplyResult> ApplyAsync(string outRefundNo, string wechatStatus, string? refundId, long? amountFen,
        string actor, CancellationToken ct, string? outTradeNo = null)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var orderId = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT order_id FROM order_refunds WHERE out_refund_no = @outRefundNo", new { outRefundNo }, cancellationToken: ct));
        if (orderId is null) return new(PayOutcome.UnknownOrder, "no refund with this out_refund_no");

        await using var tx = await c.BeginTransactionAsync(ct);
        // Order row first, then the refund row: the same lock order as creating a refund.
        var order = await c.QuerySingleAsync<PayOrderRow>(new CommandDefinition(
            $"SELECT {PayOrderRow.Columns} FROM orders WHERE id = @orderId FOR UPDATE", new { orderId }, tx, cancellationToken: ct));
        var refund = await c.QuerySingleAsync<RefundRow>(new CommandDefinition(FindSql + " FOR UPDATE", new { outRefundNo }, tx, cancellationToken: ct));
        var now = Now;
        if (refund.Status != RefundStatus.Processing) return new(PayOutcome.Duplicate, $"refund is {refund.Status}");
        if (outTradeNo is not null && outTradeNo != order.OrderNo) return new(PayOutcome.Mismatch, "out_trade_no is not this refund's order");
        if (amountFen is { } a && a != refund.AmountFen) return new(PayOutcome.Mismatch, $"refund amount {a} ≠ {refund.AmountFen}");

        if (wechatStatus != "SUCCESS")
        {
            // CLOSED is final (failed); ABNORMAL needs the merchant console (the user's card is gone): kept processing.
            var status = wechatStatus == "CLOSED" ? RefundStatus.Failed : RefundStatus.Processing;
            await c.ExecuteAsync(new CommandDefinition("""
                UPDATE order_refunds SET status = @status, wechat_status = @wechatStatus, refund_id = COALESCE(@refundId, refund_id), updated_at = @now
                WHERE id = @id
                """, new { id = refund.Id, status, wechatStatus, refundId, now }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            if (wechatStatus is "CLOSED" or "ABNORMAL") Log.RefundNotSucceeded(logger, outRefundNo, wechatStatus);
            return new(PayOutcome.Applied, $"refund {wechatStatus}");
        }

        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE order_refunds SET status = 'succeeded', wechat_status = 'SUCCESS', refund_id = COALESCE(@refundId, refund_id),
                   succeeded_at = @now, updated_at = @now
            WHERE id = @id AND status = 'processing'
            """, new { id = refund.Id, refundId, now }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("UPDATE orders SET refunded_fen = refunded_fen + @amount WHERE id = @orderId",
            new { amount = refund.AmountFen, orderId }, tx, cancellationToken: ct));
        var full = order.RefundedFen + refund.AmountFen >= order.PayableFen;

        // A late-payment refund gives back money for an order that was never paid in our books: no points, no stock.
        if (refund.Source != RefundSource.LatePayment)
        {
            await loyalty.OnOrderRefundedAsync(c, tx,
                new RefundedOrder(order.OrderNo, outRefundNo, order.MemberId, refund.AmountFen, order.PayableFen, now), ct);
            if (full && order.PointsUsed > 0)
            {
                if (order.RevivedAt is null)
                    await loyalty.ReturnRedeemedAsync(c, tx, order.MemberId, order.PointsUsed, order.OrderNo, now, ct);
                else // the points were returned once at cancellation and taken again at revival: return them under the revival's key
                    await PointsLedger.PostAsync(c, tx, order.MemberId, order.PointsUsed, "Returned from order", order.OrderNo,
                        $"order-redeem-revive-return:{order.OrderNo}", now, ct);
            }
            if (refund.ReturnStock)
                await c.ExecuteAsync(new CommandDefinition("""
                    UPDATE catalog_skus s JOIN order_lines l ON l.sku_id = s.id
                    SET s.stock = s.stock + (l.quantity - l.refunded_quantity), s.updated_at = @now, l.refunded_quantity = l.quantity
                    WHERE l.order_id = @orderId AND l.refunded_quantity < l.quantity
                    """, new { orderId, now }, tx, cancellationToken: ct));
        }

        var inFlight = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM order_refunds WHERE order_id = @orderId AND status = 'processing'", new { orderId }, tx, cancellationToken: ct));
        if (inFlight == 0)
            await OrderTransitions.TryMoveAsync(c, tx, order.Id, [OrderStatus.Refunding], OrderStatus.Refunded, actor,
                $"refund {outRefundNo} succeeded ({refund.AmountFen} fen)", now, ct);
        await tx.CommitAsync(ct);
        Log.RefundSucceeded(logger, order.OrderNo, outRefundNo, refund.AmountFen);
        return new(PayOutcome.Applied, null);
    }

    DateTime Now => time.GetUtcNow().UtcDateTime;

    static string Trim(string s) => s.Length <= 256 ? s : s[..256];
}
