using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Loyalty;
using WeChatMall.Api.Features.Orders;
using WeChatMall.Api.Infrastructure.Activity;
using WeChatMall.Api.Infrastructure.Outbox;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Api.Features.Payments;

/// <summary>
/// The one paid path, whoever learnt of the payment (notification, reconciliation query, a close answered ORDERPAID):
/// check the transaction against the order, then in ONE transaction move the order, run loyalty, queue the message.
/// The order row is locked first, so concurrent duplicates queue up and all but one find it already paid.
/// </summary>
public sealed class PaymentApplier(
    MySqlDataSource db, ILoyalty loyalty, IOrderDiscounts discounts, IMemberActivity activity, PaidMessages messages, OutboxWriter outbox,
    IOptions<WeChatPayOptions> pay, TimeProvider time,
    ILogger<PaymentApplier> logger)
{
    const string LockOrderSql = $"SELECT {PayOrderRow.Columns} FROM orders WHERE order_no = @orderNo FOR UPDATE";

    public async Task<ApplyResult> ApplyPaidAsync(Transaction t, string actor, CancellationToken ct)
    {
        if (t.TradeState != "SUCCESS") return new(PayOutcome.Ignored, $"trade_state {t.TradeState}");
        var o = pay.Value;
        if (t.MchId != o.MchId) return new(PayOutcome.Mismatch, "mchid is not ours");
        if (t.AppId != o.AppId) return new(PayOutcome.Mismatch, "appid is not ours");
        if (string.IsNullOrEmpty(t.TransactionId)) return new(PayOutcome.Mismatch, "no transaction_id");

        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var order = await c.QuerySingleOrDefaultAsync<PayOrderRow>(
            new CommandDefinition(LockOrderSql, new { orderNo = t.OutTradeNo }, tx, cancellationToken: ct));
        if (order is null) return new(PayOutcome.UnknownOrder, "no order with this out_trade_no");
        // WeChat Pay's own order amount (total) must equal what we asked for; payer_total may be lower after coupons.
        if (t.Amount is not { } amount || amount.Total != order.PayableFen || amount.Currency != "CNY")
            return new(PayOutcome.Mismatch, $"amount {t.Amount?.Total} {t.Amount?.Currency} ≠ payable {order.PayableFen} CNY");

        var now = time.GetUtcNow().UtcDateTime;
        var paidAt = t.SuccessTime?.UtcDateTime ?? now;
        ApplyResult result;
        switch (order.Status)
        {
            case OrderStatus.PendingPayment:
                await MarkPaidAsync(c, tx, order, [OrderStatus.PendingPayment], t.TransactionId, paidAt, actor, null, ct);
                result = new(PayOutcome.Applied, null);
                break;
            // A cancelled order with a transaction was paid late and is being refunded: the same transaction again is a duplicate.
            case OrderStatus.Cancelled when order.TransactionId is null:
                result = await LatePaymentAsync(c, tx, order, t.TransactionId, paidAt, actor, now, ct);
                break;
            default:
                // Already paid (or cancelled and refunded after a late payment): the same transaction is a duplicate; another one
                // would be a second payment of one order — never applied, alarmed by the caller.
                result = order.TransactionId == t.TransactionId
                    ? new(PayOutcome.Duplicate, $"order is {order.Status}")
                    : new(PayOutcome.Mismatch, $"order is {order.Status} with another transaction");
                break;
        }
        await tx.CommitAsync(ct);
        if (result.Outcome == PayOutcome.Applied) Log.OrderPaid(logger, order.OrderNo, actor);
        return result;
    }

    async Task MarkPaidAsync(DbConnection c, DbTransaction tx, PayOrderRow order, string[] from, string transactionId,
        DateTime paidAt, string actor, string? extraSet, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var set = "paid_at = @paidAt, transaction_id = @transactionId" + (extraSet is null ? "" : ", " + extraSet);
        var moved = await OrderTransitions.TryMoveAsync(c, tx, order.Id, from, OrderStatus.Paid, actor,
            $"transaction {transactionId}", now, ct, set, new { paidAt, transactionId });
        if (moved is null) throw new InvalidOperationException($"Order {order.OrderNo} changed under its row lock.");

        var lines = (await c.QueryAsync<PaidLine>(new CommandDefinition(
            "SELECT product_id AS ProductId, paid_fen AS PaidFen FROM order_lines WHERE order_id = @id ORDER BY id", new { id = order.Id }, tx,
            cancellationToken: ct))).AsList();
        var earned = await loyalty.OnOrderPaidAsync(c, tx,
            new PaidOrder(order.Id, order.OrderNo, order.MemberId, order.PayableFen, lines, paidAt), ct);
        await OrderStore.SetPointsEarnedAsync(c, tx, order.Id, earned.PointsEarned, ct);
        await discounts.OnOrderPaidAsync(c, tx, order.OrderNo, order.MemberId, order.PayableFen, now, ct);
        await activity.MembersChangedAsync(c, tx, [order.MemberId], ct); // stats, RFM and rule tags commit with the payment
        await messages.QueueAsync(c, tx, order, paidAt, earned.PointsEarned, ct);
    }

    // Our expiry cancelled the order (stock and points went back) but the shopper's money arrived. Revive it if every
    // line's stock and the points can be taken again right now; otherwise keep it cancelled in spirit: refund in full.
    async Task<ApplyResult> LatePaymentAsync(DbConnection c, DbTransaction tx, PayOrderRow order, string transactionId,
        DateTime paidAt, string actor, DateTime now, CancellationToken ct)
    {
        if (await LatePayments.TryRetakeAsync(c, tx, order, now, ct))
        {
            await MarkPaidAsync(c, tx, order, [OrderStatus.Cancelled], transactionId, paidAt, actor, "revived_at = @paidAt", ct);
            Log.LatePaymentRevived(logger, order.OrderNo);
            return new(PayOutcome.Late, "revived: paid after expiry, stock and points taken again");
        }
        await LatePayments.RefundAsync(c, tx, outbox, order, transactionId, paidAt, actor, now, ct);
        Log.LatePaymentRefunded(logger, order.OrderNo);
        return new(PayOutcome.Late, "paid after expiry, stock or points gone: refunded in full automatically");
    }
}
