using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Features.Loyalty;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Features.Orders;
using WeChatMall.Api.Infrastructure.Activity;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Api.Features.Payments;

/// <summary>
/// Sends a processing refund to WeChat Pay and applies what WeChat Pay says about it (create answer, refund-notify,
/// query), and the operator's ways out of a stuck refund (retry, settle offline). Money going back is applied once:
/// the refund's conditional move to succeeded / settled_offline is the step, and the order's refund state, loyalty
/// reversal, points return and the named goods' stock happen in that same transaction.
/// </summary>
public sealed class RefundSettlement(MySqlDataSource db, IServiceProvider services, ILoyalty loyalty, IOrderDiscounts discounts,
    IMemberActivity activity, TimeProvider time,
    ILogger<RefundSettlement> logger)
{
    // Resolved when used: the client needs WeChat Pay keys, and this class is built even where they are not configured.
    WeChatPayClient Client => services.GetRequiredService<WeChatPayClient>();

    /// <summary>POST the refund (safe to repeat: the same out_refund_no is the same refund). Failures stay processing for reconciliation.</summary>
    public async Task SubmitAsync(string outRefundNo, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var refund = await c.QuerySingleOrDefaultAsync<RefundRow>(new CommandDefinition(RefundStore.FindSql, new { outRefundNo }, cancellationToken: ct));
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
            // Refused for good (too old, more than paid…): an operator must act (retry or settle offline).
            await c.OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            await RefundStore.TryMoveAsync(c, tx, refund.Id, [RefundStatus.Processing], RefundStatus.Failed, "refund-api",
                Trim($"{ex.Code}: {ex.Message}"), Now, ct, "note = @note", new { note = Trim($"{ex.Code}: {ex.Message}") });
            await tx.CommitAsync(ct);
            Log.RefundRefused(logger, outRefundNo, ex.Code ?? "", ex.RequestId ?? "");
            return;
        }
        await c.OpenAsync(ct);
        await RefundStore.NoteAnswerAsync(c, null, refund.Id, answer.RefundId, answer.Status, Now, ct);
        if (answer.Status is "SUCCESS" or "CLOSED" or "ABNORMAL")
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
        var refund = await c.QuerySingleAsync<RefundRow>(new CommandDefinition(RefundStore.FindSql + " FOR UPDATE", new { outRefundNo }, tx, cancellationToken: ct));
        var now = Now;
        if (outTradeNo is not null && outTradeNo != order.OrderNo) return new(PayOutcome.Mismatch, "out_trade_no is not this refund's order");
        if (amountFen is { } a && a != refund.AmountFen) return new(PayOutcome.Mismatch, $"refund amount {a} ≠ {refund.AmountFen}");

        // CLOSED and ABNORMAL stop the refund until an operator retries it or settles it offline; SUCCESS pays it back
        // (also for an abnormal refund the merchant resolved in the WeChat Pay console); PROCESSING changes nothing.
        var (from, to) = wechatStatus switch
        {
            "SUCCESS" => (new[] { RefundStatus.Processing, RefundStatus.Abnormal }, RefundStatus.Succeeded),
            "CLOSED" => ([RefundStatus.Processing], RefundStatus.Closed),
            "ABNORMAL" => ([RefundStatus.Processing], RefundStatus.Abnormal),
            _ => ((string[]?)null, ""),
        };
        if (from is null || !from.Contains(refund.Status))
            return new(refund.Status == RefundStatus.Processing ? PayOutcome.Ignored : PayOutcome.Duplicate,
                $"refund is {refund.Status}, WeChat Pay says {wechatStatus}");

        await RefundStore.TryMoveAsync(c, tx, refund.Id, from, to, actor, $"WeChat Pay: {wechatStatus}", now, ct,
            "wechat_status = @wechatStatus, refund_id = COALESCE(@refundId, refund_id)" + (to == RefundStatus.Succeeded ? ", succeeded_at = @now" : ""),
            new { wechatStatus, refundId });
        if (to == RefundStatus.Succeeded)
            await MoneyBackAsync(c, tx, order, refund, actor, $"refund {outRefundNo} succeeded ({refund.AmountFen} fen)", now, ct);
        await tx.CommitAsync(ct);
        if (to == RefundStatus.Succeeded) Log.RefundSucceeded(logger, order.OrderNo, outRefundNo, refund.AmountFen);
        else Log.RefundNotSucceeded(logger, outRefundNo, wechatStatus);
        return new(PayOutcome.Applied, to == RefundStatus.Succeeded ? null : $"refund {wechatStatus}");
    }

    /// <summary>
    /// Operator: a closed, abnormal or failed refund goes back to processing under the SAME out_refund_no (never a new
    /// refund, so it can never pay twice). The caller submits it after commit.
    /// </summary>
    public async Task<RefundCreateResult> RetryAsync(string orderNo, string outRefundNo, string actor, string? note, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await LockStuckAsync(c, tx, orderNo, outRefundNo, ct) is not ({ } order, { } refund)) return await RefusalAsync(c, tx, orderNo, outRefundNo, ct);
        if (await ExceedsRemainingAsync(c, tx, order, refund, ct) is { } refused) return refused;
        await RefundStore.TryMoveAsync(c, tx, refund.Id, RefundStatus.NeedsOperator, RefundStatus.Processing, actor,
            note ?? "retried under the same out_refund_no", Now, ct, "checked_at = NULL");
        await tx.CommitAsync(ct);
        Log.RefundRetried(logger, outRefundNo, refund.Status, actor);
        return new RefundCreated(refund with { Status = RefundStatus.Processing });
    }

    /// <summary>
    /// Operator: the money of a closed, abnormal or failed refund was paid back outside WeChat Pay (bank transfer, cash).
    /// The refund becomes settled_offline (who, when and the note in refund_events) and counts as money gone back.
    /// </summary>
    public async Task<RefundCreateResult> SettleOfflineAsync(string orderNo, string outRefundNo, string actor, string note, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await LockStuckAsync(c, tx, orderNo, outRefundNo, ct) is not ({ } order, { } refund)) return await RefusalAsync(c, tx, orderNo, outRefundNo, ct);
        if (await ExceedsRemainingAsync(c, tx, order, refund, ct) is { } refused) return refused;
        var now = Now;
        await RefundStore.TryMoveAsync(c, tx, refund.Id, RefundStatus.NeedsOperator, RefundStatus.SettledOffline, actor, note, now, ct,
            "succeeded_at = @now, note = @note", new { note = Trim(note) });
        await MoneyBackAsync(c, tx, order, refund, actor, $"refund {outRefundNo} settled offline ({refund.AmountFen} fen): {note}", now, ct);
        await tx.CommitAsync(ct);
        Log.RefundSettledOffline(logger, outRefundNo, refund.Status, actor);
        return new RefundCreated(refund with { Status = RefundStatus.SettledOffline, Note = Trim(note) });
    }

    // The money is back with the shopper: the order's refund state, then (not for a late payment, which was never paid in
    // our books) loyalty, redeemed points on a full refund, and the named goods back to stock.
    async Task MoneyBackAsync(DbConnection c, DbTransaction tx, PayOrderRow order, RefundRow refund, string actor, string note,
        DateTime now, CancellationToken ct)
    {
        var state = await OrderTransitions.RecordRefundAsync(c, tx, order.Id, refund.AmountFen, actor, note, now, ct);
        if (refund.Source == RefundSource.LatePayment) return;

        await loyalty.OnOrderRefundedAsync(c, tx,
            new RefundedOrder(order.OrderNo, refund.OutRefundNo, order.MemberId, refund.AmountFen, order.PayableFen, now,
                FullRefund: state == OrderRefundState.Refunded), ct);
        // The coupon comes back with the full refund only: a partial refund keeps the order, and the order keeps its discount.
        if (state == OrderRefundState.Refunded)
            await discounts.OnOrderReleasedAsync(c, tx, order.OrderNo, $"refunded ({refund.OutRefundNo})", now, ct);
        if (state == OrderRefundState.Refunded && order.PointsUsed > 0)
        {
            if (order.RevivedAt is null)
                await loyalty.ReturnRedeemedAsync(c, tx, order.MemberId, order.PointsUsed, order.OrderNo, now, ct);
            else // the points were returned once at cancellation and taken again at revival: return them under the revival's key
                await PointsLedger.PostAsync(c, tx, order.MemberId, order.PointsUsed, "Returned from order", order.OrderNo,
                    $"order-redeem-revive-return:{order.OrderNo}", now, ct);
        }
        var lines = await RefundStore.LinesAsync(c, tx, refund.Id, ct);
        var returned = await OrderStore.RecordReturnedAsync(c, tx, order.Id, lines.Select(l => (l.OrderLineId, l.Quantity)), ct);
        foreach (var r in returned)
            await Stock.ReturnAsync(c, tx, r.SkuId, r.Quantity, now, ct);
        await activity.MembersChangedAsync(c, tx, [order.MemberId], ct); // net spend drops in the refund's transaction
    }

    async Task<(PayOrderRow?, RefundRow?)> LockStuckAsync(DbConnection c, DbTransaction tx, string orderNo, string outRefundNo, CancellationToken ct)
    {
        if (await RefundCreation.LockAsync(c, tx, orderNo, null, ct) is not { } order) return (null, null);
        var refund = await c.QuerySingleOrDefaultAsync<RefundRow>(new CommandDefinition(
            RefundStore.FindSql + " AND order_id = @orderId FOR UPDATE", new { outRefundNo, orderId = order.Id }, tx, cancellationToken: ct));
        return refund is not null && RefundStatus.NeedsOperator.Contains(refund.Status) ? (order, refund) : (order, null);
    }

    static async Task<RefundRefused> RefusalAsync(DbConnection c, DbTransaction tx, string orderNo, string outRefundNo, CancellationToken ct)
    {
        var status = await c.ExecuteScalarAsync<string?>(new CommandDefinition("""
            SELECT r.status FROM order_refunds r JOIN orders o ON o.id = r.order_id WHERE o.order_no = @orderNo AND r.out_refund_no = @outRefundNo
            """, new { orderNo, outRefundNo }, tx, cancellationToken: ct));
        return status is null
            ? new RefundRefused(404, "REFUND_NOT_FOUND", "No such refund on this order.")
            : new RefundRefused(409, "REFUND_NOT_STUCK", $"The refund is {status}; only a closed, abnormal or failed refund can be retried or settled offline.");
    }

    // Closed and failed refunds stopped counting against the order's money; another refund may have taken it since.
    static async Task<RefundRefused?> ExceedsRemainingAsync(DbConnection c, DbTransaction tx, PayOrderRow order, RefundRow refund, CancellationToken ct)
    {
        var remaining = order.PayableFen - await RefundStore.CommittedFenAsync(c, tx, order.Id, ct, exceptRefundId: refund.Id);
        return refund.AmountFen > remaining
            ? new RefundRefused(409, "REFUND_EXCEEDS_REMAINING", $"At most {remaining} fen of this order can still be refunded.")
            : null;
    }

    DateTime Now => time.GetUtcNow().UtcDateTime;

    static string Trim(string s) => s.Length <= 256 ? s : s[..256];
}
