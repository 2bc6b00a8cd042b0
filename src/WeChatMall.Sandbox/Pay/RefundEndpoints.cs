using System.Text.Json;
using Microsoft.Extensions.Options;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Sandbox.Pay;

/// <summary>
/// Refunds (docs/wechat-protocol.md#refunds). A refund succeeds at once: the create answer says PROCESSING like the real API, a query then says
/// SUCCESS, and REFUND.SUCCESS goes to the notify_url (or Sandbox:Merchant:RefundNotifyUrl).
/// POST /sandbox/pay/refunds/{outRefundNo}/outcome {"status":"CLOSED"|"ABNORMAL"} makes the next create of that number end
/// so instead (REFUND.CLOSED / REFUND.ABNORMAL). Creating a CLOSED or ABNORMAL refund again under the same out_refund_no
/// runs it again (the merchant's retry); any other existing refund is answered as it is.
/// </summary>
public static class RefundEndpoints
{
    public static void MapRefunds(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v3/refund/domestic/refunds", Create);
        app.MapGet("/v3/refund/domestic/refunds/{outRefundNo}", (string outRefundNo, PayState s) =>
            s.Refund(outRefundNo) is { } r ? PayResult.Ok(ToRefund(r, r.Status)) : PayResult.Error(404, "RESOURCE_NOT_EXISTS", "退款单不存在"));
    }

    static PayResult Create(JsonElement body, PayState state, NotificationSender sender, IOptions<SandboxOptions> options)
    {
        string? S(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var outRefundNo = S("out_refund_no");
        var outTradeNo = S("out_trade_no");
        var transactionId = S("transaction_id");
        long refund = 0, total = 0;
        if (string.IsNullOrEmpty(outRefundNo) || (outTradeNo is null && transactionId is null)
            || !body.TryGetProperty("amount", out var amount) || !amount.TryGetProperty("refund", out var rf) || !rf.TryGetInt64(out refund)
            || !amount.TryGetProperty("total", out var tt) || !tt.TryGetInt64(out total))
            return PayEndpoints.Param("out_refund_no, out_trade_no or transaction_id, amount.refund and amount.total are required");

        var (result, created) = state.Locked<(PayResult, PayRefund?)>((orders, refunds) =>
        {
            // The same out_refund_no is the same refund: a retry gets the existing one, unless it stopped CLOSED/ABNORMAL.
            var rerun = refunds.TryGetValue(outRefundNo, out var existing);
            if (rerun && existing!.Status is not ("CLOSED" or "ABNORMAL")) return (PayResult.Ok(ToRefund(existing, existing.Status)), null);
            var order = outTradeNo is not null ? orders.GetValueOrDefault(outTradeNo)
                : orders.Values.FirstOrDefault(o => o.TransactionId == transactionId);
            if (order is null) return (PayResult.Error(404, "RESOURCE_NOT_EXISTS", "订单不存在"), null);
            if (order.TradeState is not ("SUCCESS" or "REFUND")) return (PayResult.Error(400, "INVALID_REQUEST", "订单未支付"), null);
            if (total != order.Total) return (PayResult.Error(400, "INVALID_REQUEST", "订单金额与原订单不一致"), null);
            // An ABNORMAL refund's money already left the merchant (counted in Refunded); a CLOSED one's never did.
            var alreadyCounted = rerun && existing!.Status == "ABNORMAL" ? existing.Refund : 0;
            if (refund <= 0 || order.Refunded - alreadyCounted + refund > order.Total)
                return (PayResult.Error(400, "INVALID_REQUEST", "申请退款金额超过订单可退金额"), null);
            var status = state.TakeRefundOutcome(outRefundNo);
            var r = new PayRefund
            {
                OutRefundNo = outRefundNo, RefundId = state.NewId("50000"), OutTradeNo = order.OutTradeNo,
                TransactionId = order.TransactionId!, Refund = refund, Total = order.Total, CreateTime = state.Now,
                SuccessTime = state.Now, NotifyUrl = S("notify_url") ?? NullIfEmpty(options.Value.Merchant.RefundNotifyUrl),
                Status = status,
            };
            refunds[outRefundNo] = r;
            var refunded = order.Refunded - alreadyCounted + (status == "CLOSED" ? 0 : refund);
            orders[order.OutTradeNo] = order with { Refunded = refunded, TradeState = refunded > 0 ? "REFUND" : order.TradeState };
            return (PayResult.Ok(ToRefund(r, "PROCESSING")), r);
        });
        if (created?.NotifyUrl is { } url)
            sender.Send(url, "REFUND." + created.Status, "refund", Summary(created.Status), ToNotification(created, options.Value.Merchant.MchId),
                        created.OutTradeNo, created.OutRefundNo);
        return result;
    }

    static Refund ToRefund(PayRefund r, string status) => new()
    {
        RefundId = r.RefundId, OutRefundNo = r.OutRefundNo, TransactionId = r.TransactionId, OutTradeNo = r.OutTradeNo,
        Channel = "ORIGINAL", UserReceivedAccount = "支付用户零钱", CreateTime = PayEndpoints.China(r.CreateTime),
        SuccessTime = status == "SUCCESS" ? PayEndpoints.China(r.SuccessTime) : null, Status = status, FundsAccount = "AVAILABLE",
        Amount = new RefundAmount
        {
            Total = r.Total, Refund = r.Refund, PayerTotal = r.Total, PayerRefund = r.Refund, SettlementTotal = r.Total,
            SettlementRefund = r.Refund, DiscountRefund = 0, Currency = "CNY",
        },
    };

    static RefundNotificationResource ToNotification(PayRefund r, string mchId) => new()
    {
        MchId = mchId, OutTradeNo = r.OutTradeNo, TransactionId = r.TransactionId, OutRefundNo = r.OutRefundNo,
        RefundId = r.RefundId, RefundStatus = r.Status, SuccessTime = r.Status == "SUCCESS" ? PayEndpoints.China(r.SuccessTime) : null,
        UserReceivedAccount = "支付用户零钱",
        Amount = new RefundNotificationAmount { Total = r.Total, Refund = r.Refund, PayerTotal = r.Total, PayerRefund = r.Refund },
    };

    static string Summary(string status) => status switch { "CLOSED" => "退款关闭", "ABNORMAL" => "退款异常", _ => "退款成功" };

    static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
