using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// WeChat Pay API v3 calls for JSAPI / mini-program payments (JSAPI下单, 查询订单, 关闭订单, 申请退款, 查询单笔退款).
/// Requests are signed by <see cref="WeChatPaySigningHandler"/>; every response is verified, and a 2xx without
/// a valid signature throws <see cref="WeChatPayResponseSignatureException"/>. All calls here are idempotent
/// (keyed by out_trade_no / out_refund_no), so transient failures are retried.
/// </summary>
public sealed class WeChatPayClient(
    HttpClient http, WeChatPayCredentials credentials, IOptions<WeChatPayOptions> options, TimeProvider time,
    ILogger<WeChatPayClient> logger)
{
    readonly WeChatPayTransport _transport = new(http, credentials.Verifier, logger);
    WeChatPayOptions O => options.Value;

    /// <summary>POST /v3/pay/transactions/jsapi; returns the prepay_id (valid for 2 hours).</summary>
    public async Task<string> JsapiPrepayAsync(JsapiPrepayRequest request, CancellationToken ct)
    {
        PayRequestRules.Validate(request);
        var body = JsapiPrepayBody.From(request, O.AppId, O.MchId, O.NotifyUrl);
        var response = await _transport.SendAsync<PrepayResponse>(
            HttpMethod.Post, Url("/v3/pay/transactions/jsapi"), body, idempotent: true, ct);
        return response!.PrepayId;
    }

    /// <summary>Signed parameters for wx.requestPayment, using the configured (mini-program) AppId.</summary>
    public RequestPayment BuildRequestPayment(string prepayId)
        => RequestPayment.Create(credentials.MerchantPrivateKey, O.AppId, prepayId, time);

    /// <summary>GET /v3/pay/transactions/out-trade-no/{no}?mchid=…; never-created orders throw with IsOrderNotExist.</summary>
    public async Task<Transaction> QueryByOutTradeNoAsync(string outTradeNo, CancellationToken ct)
    {
        PayRequestRules.RequireOutTradeNo(outTradeNo);
        var url = Url($"/v3/pay/transactions/out-trade-no/{outTradeNo}?mchid={Uri.EscapeDataString(O.MchId)}");
        return (await _transport.SendAsync<Transaction>(HttpMethod.Get, url, null, idempotent: true, ct))!;
    }

    /// <summary>GET /v3/pay/transactions/id/{transaction_id}?mchid=… (微信支付订单号查询订单).</summary>
    public async Task<Transaction> QueryByTransactionIdAsync(string transactionId, CancellationToken ct)
    {
        PayRequestRules.RequireTransactionId(transactionId);
        var url = Url($"/v3/pay/transactions/id/{transactionId}?mchid={Uri.EscapeDataString(O.MchId)}");
        return (await _transport.SendAsync<Transaction>(HttpMethod.Get, url, null, idempotent: true, ct))!;
    }

    /// <summary>POST /v3/pay/transactions/out-trade-no/{no}/close → 204. A paid order throws with IsOrderPaid.</summary>
    public async Task CloseAsync(string outTradeNo, CancellationToken ct)
    {
        PayRequestRules.RequireOutTradeNo(outTradeNo);
        await _transport.SendAsync<object>(HttpMethod.Post, Url($"/v3/pay/transactions/out-trade-no/{outTradeNo}/close"),
                                           new CloseBody(O.MchId), idempotent: true, ct);
    }

    /// <summary>POST /v3/refund/domestic/refunds.</summary>
    public async Task<Refund> CreateRefundAsync(RefundRequest request, CancellationToken ct)
    {
        PayRequestRules.Validate(request);
        var body = new RefundBody(request.OutTradeNo, request.OutRefundNo, request.Reason,
                                  request.NotifyUrl ?? NullIfEmpty(O.RefundNotifyUrl),
                                  new RefundBodyAmount(request.RefundFen, request.TotalFen, "CNY"));
        return (await _transport.SendAsync<Refund>(
            HttpMethod.Post, Url("/v3/refund/domestic/refunds"), body, idempotent: true, ct))!;
    }

    /// <summary>GET /v3/refund/domestic/refunds/{out_refund_no}.</summary>
    public async Task<Refund> QueryRefundAsync(string outRefundNo, CancellationToken ct)
    {
        PayRequestRules.RequireOutRefundNo(outRefundNo);
        return (await _transport.SendAsync<Refund>(
            HttpMethod.Get, Url($"/v3/refund/domestic/refunds/{outRefundNo}"), null, idempotent: true, ct))!;
    }

    // Base URL from options only (the sandbox and tests point it elsewhere); a path prefix in it is kept.
    Uri Url(string pathAndQuery) => new(O.ApiBaseUrl.TrimEnd('/') + pathAndQuery);

    static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
