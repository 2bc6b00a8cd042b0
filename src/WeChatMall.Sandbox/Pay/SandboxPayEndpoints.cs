namespace WeChatMall.Sandbox.Pay;

/// <summary>Control routes: simulate the user paying, inspect orders and notifications, re-deliver on demand.</summary>
public static class SandboxPayEndpoints
{
    public static void MapSandboxPay(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/sandbox/pay");
        g.MapGet("/orders/{outTradeNo}", (string outTradeNo, PayState s) =>
            s.Order(outTradeNo) is { } o ? Results.Ok(o) : Results.NotFound());
        // The user confirms payment in WeChat: the order becomes SUCCESS and TRANSACTION.SUCCESS is sent.
        g.MapPost("/{outTradeNo}/pay", (string outTradeNo, PayState s, NotificationSender sender) =>
        {
            if (s.MarkPaid(outTradeNo) is not { } order)
                return Results.Conflict(new { error = s.Order(outTradeNo) is null ? "no such order" : "order is not NOTPAY" });
            var transaction = PayEndpoints.ToTransaction(order);
            var id = sender.Send(order.NotifyUrl, "TRANSACTION.SUCCESS", "transaction", "支付成功", transaction, order.OutTradeNo, null);
            return Results.Ok(new { transaction, notificationId = id });
        });
        // The next create of this out_refund_no ends CLOSED or ABNORMAL (REFUND.CLOSED / REFUND.ABNORMAL is sent).
        g.MapPost("/refunds/{outRefundNo}/outcome", (string outRefundNo, RefundOutcome body, PayState s) =>
        {
            if (body.Status is not ("CLOSED" or "ABNORMAL")) return Results.BadRequest(new { error = "status is CLOSED or ABNORMAL" });
            s.ArmRefundOutcome(outRefundNo, body.Status);
            return Results.Ok(new { outRefundNo, body.Status });
        });
        g.MapGet("/notifications", (string? outTradeNo, NotificationSender sender) => Results.Ok(sender.List(outTradeNo)));
        g.MapGet("/notifications/{id}", (string id, NotificationSender sender) =>
            sender.Find(id) is { } n ? Results.Ok(n) : Results.NotFound());
        // Same body and id again (duplicates, late delivery); probe=true sends a WECHATPAY/SIGNTEST/ signature instead.
        g.MapPost("/notifications/{id}/redeliver", async (string id, int? times, bool? probe, NotificationSender sender, CancellationToken ct) =>
            await sender.RedeliverAsync(id, Math.Clamp(times ?? 1, 1, 20), probe ?? false, ct) is { } attempts
                ? Results.Ok(attempts) : Results.NotFound());
    }
}

public sealed record RefundOutcome(string? Status);
