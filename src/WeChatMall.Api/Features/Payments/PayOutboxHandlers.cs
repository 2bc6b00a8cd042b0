using System.Text.Json;
using Dapper;
using MySqlConnector;
using WeChatMall.Api.Features.Orders;
using WeChatMall.Api.Infrastructure.Outbox;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Api.Features.Payments;

public sealed record SubmitRefundPayload(string OutRefundNo);

/// <summary>Submits a refund queued inside another transaction (the late-payment refund). Throwing retries later.</summary>
public sealed class SubmitRefundHandler(RefundSettlement refunds) : IOutboxHandler
{
    public const string Kind = "pay.submit_refund";
    string IOutboxHandler.Kind => Kind;

    public Task HandleAsync(string payloadJson, CancellationToken ct)
    {
        var p = JsonSerializer.Deserialize<SubmitRefundPayload>(payloadJson, JsonSerializerOptions.Web)
            ?? throw new OutboxPermanentFailure("Empty refund payload.");
        return refunds.SubmitAsync(p.OutRefundNo, ct);
    }
}

public sealed record CloseOrderPayload(string OrderNo);

/// <summary>
/// Closes the WeChat Pay order of a cancelled (expired or shopper-cancelled) order, queued by Orders. WeChat Pay
/// answering ORDERPAID means the shopper paid in the meantime: that payment goes through the late-payment path.
/// </summary>
public sealed class CloseOrderHandler(MySqlDataSource db, IServiceProvider services, PaymentApplier applier, PayGate gate,
    ILogger<CloseOrderHandler> logger) : IOutboxHandler
{
    public const string Kind = OrderLifecycle.CloseOrderKind; // Orders queues it
    string IOutboxHandler.Kind => Kind;

    public async Task HandleAsync(string payloadJson, CancellationToken ct)
    {
        var p = JsonSerializer.Deserialize<CloseOrderPayload>(payloadJson, JsonSerializerOptions.Web)
            ?? throw new OutboxPermanentFailure("Empty close-order payload.");
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            // No prepay was ever made: there is no WeChat Pay order to close.
            var prepay = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT prepay_id FROM orders WHERE order_no = @orderNo", new { orderNo = p.OrderNo }, cancellationToken: ct));
            if (prepay is null) return;
        }
        if (!gate.IsConfigured) throw new InvalidOperationException("WeChat Pay is not configured; the close is retried.");
        var client = services.GetRequiredService<WeChatPayClient>();
        try
        {
            await client.CloseAsync(p.OrderNo, ct);
        }
        catch (WeChatPayException ex) when (ex.IsOrderPaid)
        {
            var t = await client.QueryByOutTradeNoAsync(p.OrderNo, ct);
            var result = await applier.ApplyPaidAsync(t, "pay-close", ct);
            Log.CloseFoundPaid(logger, p.OrderNo, result.Outcome);
        }
        catch (WeChatPayException ex) when (ex.IsOrderNotExist || ex.IsOrderClosed) { }
    }
}
