using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Orders;
using WeChatMall.Api.Infrastructure.Jobs;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Api.Features.Payments;

/// <summary>
/// Asks WeChat Pay about what we have not heard of: pending orders whose prepay is older than ReconcileAfterMinutes
/// (a lost notification, or an instance killed between prepay and notification) and refunds still processing.
/// SUCCESS goes through the same paid / refunded paths as the notifications. Several instances may run it: each
/// order or refund is claimed with a conditional UPDATE of its checked time, so only one instance queries it per round.
/// </summary>
public sealed class PaymentReconciler(
    MySqlDataSource db, IServiceProvider services, PayGate gate, PaymentApplier applier, RefundSettlement refunds,
    IOptions<PaymentOptions> options, TimeProvider time, ILogger<PaymentReconciler> logger, JobServices jobs) : PeriodicJob(jobs)
{
    public override string Name => "PaymentReconciliation";
    protected override TimeSpan DefaultInterval => TimeSpan.FromMinutes(1);

    protected override Task RunAsync(CancellationToken ct) => gate.IsConfigured ? RunOnceAsync(ct) : Task.CompletedTask;

    const string PendingSql = """
        SELECT id, order_no FROM orders
        WHERE status = 'pending_payment' AND prepay_at IS NOT NULL AND prepay_at <= @cutoff
          AND (pay_checked_at IS NULL OR pay_checked_at <= @recheck)
        ORDER BY prepay_at LIMIT @batch
        """;

    const string RefundsSql = """
        SELECT id, out_refund_no FROM order_refunds
        WHERE status = 'processing' AND updated_at <= @recheck AND (checked_at IS NULL OR checked_at <= @recheck)
        ORDER BY id LIMIT @batch
        """;

    sealed record Item(long Id, string No);

    /// <summary>One round: pending orders, then processing refunds.</summary>
    public async Task RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var args = new { cutoff = now.AddMinutes(-o.ReconcileAfterMinutes), recheck = now.AddSeconds(-o.RecheckSeconds), batch = o.ReconcileBatchSize, now };
        var client = services.GetRequiredService<WeChatPayClient>();

        foreach (var order in await ClaimAsync(PendingSql, OrderStore.TryClaimPayCheckAsync, args, now, ct))
        {
            try
            {
                var t = await client.QueryByOutTradeNoAsync(order.No, ct);
                if (t.TradeState != "SUCCESS") continue; // NOTPAY/CLOSED: the orders' expiry job owns what happens next
                var result = await applier.ApplyPaidAsync(t, "reconcile", ct);
                Log.Reconciled(logger, order.No, result.Outcome);
                if (!PayOutcome.Acknowledge(result.Outcome))
                    Log.NotificationRejected(logger, "QUERY", order.No, result.Outcome, result.Detail);
            }
            catch (WeChatPayException ex) when (ex.IsOrderNotExist) { }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                Log.ReconcileFailed(logger, ex, "order " + order.No);
            }
        }

        foreach (var refund in await ClaimAsync(RefundsSql, RefundStore.TryClaimCheckAsync, args, now, ct))
        {
            try
            {
                await refunds.ReconcileAsync(refund.No, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                Log.ReconcileFailed(logger, ex, "refund " + refund.No);
            }
        }
    }

    async Task<List<Item>> ClaimAsync(string selectSql, Func<DbConnection, long, DateTime, DateTime, CancellationToken, Task<bool>> claim,
        object args, DateTime now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var candidates = await c.QueryAsync<(long Id, string No)>(new CommandDefinition(selectSql, args, cancellationToken: ct));
        var recheck = now.AddSeconds(-options.Value.RecheckSeconds);
        var claimed = new List<Item>();
        foreach (var (id, no) in candidates)
            if (await claim(c, id, now, recheck, ct)) claimed.Add(new Item(id, no));
        return claimed;
    }
}
