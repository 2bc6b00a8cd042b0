using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Api.Features.Payments;

/// <summary>WeChat Pay's answer format: 2xx without a body when handled, otherwise 4xx/5xx with {"code":"FAIL"}.</summary>
public sealed record PayFail(string Code, string Message);

/// <summary>
/// POST /pay/notify and /pay/refund-notify (fixed paths, configured as notify_url): verify the signature and timestamp
/// over the raw bytes, decrypt, check against our data, apply once, record, answer. Only the HTTP status counts
/// for WeChat Pay: 204 stops its retries, anything else makes it retry on its schedule.
/// </summary>
public static class PayNotifyEndpoints
{
    public static IEndpointRouteBuilder MapPayNotify(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/pay").WithTags("WeChat Pay notifications");
        g.MapPost("/notify", Notify).WithName("PayNotify");
        g.MapPost("/refund-notify", RefundNotify).WithName("PayRefundNotify");
        return app;
    }

    static async Task<Results<NoContent, JsonHttpResult<PayFail>>> Notify(HttpRequest request, PayGate gate, IServiceProvider services,
        PaymentApplier applier, PayNotificationLog journal, IOptions<PaymentOptions> options, ILogger<PaymentApplier> logger, CancellationToken ct)
    {
        if (!gate.IsConfigured) return Fail(503, "payments are not configured");
        if (await ReadAsync(request, options.Value.MaxNotificationBytes, ct) is not { } body) return Fail(413, "body too large");
        var parsed = services.GetRequiredService<WeChatPayNotificationParser>().ParseTransaction(Headers(request), body);
        if (!parsed.IsOk) return Unverified(parsed.Status, parsed.Signature, logger);

        var n = parsed.Notification!;
        var t = parsed.Resource!;
        var result = n.EventType == "TRANSACTION.SUCCESS"
            ? await applier.ApplyPaidAsync(t, "pay-notify", ct)
            : new ApplyResult(PayOutcome.Ignored, "event type not handled");
        await journal.RecordAsync(n.Id, n.EventType, t.OutTradeNo, null, t.TransactionId, result, ct);
        return Answer(n.EventType, t.OutTradeNo, result, logger);
    }

    static async Task<Results<NoContent, JsonHttpResult<PayFail>>> RefundNotify(HttpRequest request, PayGate gate, IServiceProvider services,
        RefundSettlement refunds, PayNotificationLog journal, IOptions<PaymentOptions> options, IOptions<WeChatPayOptions> pay,
        ILogger<PaymentApplier> logger, CancellationToken ct)
    {
        if (!gate.IsConfigured) return Fail(503, "payments are not configured");
        if (await ReadAsync(request, options.Value.MaxNotificationBytes, ct) is not { } body) return Fail(413, "body too large");
        var parsed = services.GetRequiredService<WeChatPayNotificationParser>().ParseRefund(Headers(request), body);
        if (!parsed.IsOk) return Unverified(parsed.Status, parsed.Signature, logger);

        var n = parsed.Notification!;
        var r = parsed.Resource!;
        var result = !n.EventType.StartsWith("REFUND.", StringComparison.Ordinal)
            ? new ApplyResult(PayOutcome.Ignored, "event type not handled")
            : r.MchId != pay.Value.MchId
                ? new ApplyResult(PayOutcome.Mismatch, "mchid is not ours")
                : await refunds.ApplyAsync(r.OutRefundNo, r.RefundStatus, r.RefundId, r.Amount?.Refund, "refund-notify", ct, r.OutTradeNo);
        await journal.RecordAsync(n.Id, n.EventType, r.OutTradeNo, r.OutRefundNo, r.TransactionId, result, ct);
        return Answer(n.EventType, r.OutTradeNo, result, logger);
    }

    static Results<NoContent, JsonHttpResult<PayFail>> Answer(string eventType, string? outTradeNo, ApplyResult result, ILogger logger)
    {
        if (PayOutcome.Acknowledge(result.Outcome)) return TypedResults.NoContent();
        // Someone sent a validly signed notification we cannot match: a bug, a data leak or fraud. Alarm, never apply.
        Log.NotificationRejected(logger, eventType, outTradeNo, result.Outcome, result.Detail);
        return Fail(result.Outcome == PayOutcome.UnknownOrder ? 404 : 422, result.Outcome);
    }

    static Results<NoContent, JsonHttpResult<PayFail>> Unverified(NotificationParseStatus status, SignatureVerifyResult signature, ILogger logger)
    {
        Log.NotificationUnverified(logger, status.ToString(), signature.ToString());
        return status == NotificationParseStatus.SignatureInvalid ? Fail(401, "signature rejected") : Fail(400, "notification rejected");
    }

    static JsonHttpResult<PayFail> Fail(int status, string message) => TypedResults.Json(new PayFail("FAIL", message), statusCode: status);

    static WeChatPayHeaders Headers(HttpRequest request)
        => WeChatPayHeaders.From(name => request.Headers.TryGetValue(name, out var v) ? v.ToString() : null);

    static async Task<byte[]?> ReadAsync(HttpRequest request, int max, CancellationToken ct)
    {
        if (request.ContentLength > max) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > max) return null;
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}
