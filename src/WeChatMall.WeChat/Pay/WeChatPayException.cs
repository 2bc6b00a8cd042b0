namespace WeChatMall.WeChat.Pay;

/// <summary>
/// A failed WeChat Pay API v3 call: 4xx/5xx with a <c>{code, message, detail}</c> body (错误码), or a response
/// that could not be trusted. <see cref="RequestId"/> is the <c>Request-ID</c> header to quote to WeChat Pay.
/// </summary>
public class WeChatPayException(int httpStatus, string? code, string message, string? requestId, string? detail = null)
    : Exception(message)
{
    public int HttpStatus { get; } = httpStatus;
    public string? Code { get; } = code;
    public string? RequestId { get; } = requestId;
    /// <summary>The raw <c>detail</c> JSON (field, value, issue, location) when present.</summary>
    public string? Detail { get; } = detail;

    public bool IsOrderNotExist => Code is "ORDER_NOT_EXIST" or "RESOURCE_NOT_EXISTS";
    public bool IsOrderPaid => Code == "ORDERPAID";
    public bool IsOrderClosed => Code == "ORDER_CLOSED";
    public bool IsOutTradeNoUsed => Code == "OUT_TRADE_NO_USED";
    public bool IsSignError => Code == "SIGN_ERROR";
    public bool IsNotEnoughBalance => Code == "NOT_ENOUGH";
    public bool IsRateLimited => HttpStatus == 429;
    /// <summary>5xx, 429, no answer (HttpStatus 0), or an untrusted response: outcome unknown, retry later or query.</summary>
    public virtual bool IsTransient => HttpStatus is 0 or 429 or >= 500;
}

/// <summary>
/// A 2xx response whose <c>Wechatpay-*</c> signature did not verify (签名验证). Treated as forged: the result of
/// the call is unknown, so query before acting. <see cref="Verification"/> says why (probe, stale, unknown serial…).
/// </summary>
public sealed class WeChatPayResponseSignatureException(int httpStatus, SignatureVerifyResult verification, string? requestId)
    : WeChatPayException(httpStatus, null, $"WeChat Pay response signature rejected: {verification}.", requestId)
{
    public SignatureVerifyResult Verification { get; } = verification;
    public override bool IsTransient => true;
}
