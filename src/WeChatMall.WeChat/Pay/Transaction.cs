using System.Text.Json.Serialization;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// A payment order as returned by the query API and inside TRANSACTION.SUCCESS notifications (查询订单 / 支付成功回调).
/// Amounts are integer fen.
/// </summary>
public sealed record Transaction
{
    [JsonPropertyName("appid")] public string AppId { get; init; } = "";
    [JsonPropertyName("mchid")] public string MchId { get; init; } = "";
    public string OutTradeNo { get; init; } = "";
    public string? TransactionId { get; init; }
    public string? TradeType { get; init; }
    /// <summary>SUCCESS, REFUND, NOTPAY, CLOSED, REVOKED, USERPAYING, PAYERROR.</summary>
    public string TradeState { get; init; } = "";
    public string? TradeStateDesc { get; init; }
    public string? BankType { get; init; }
    public string? Attach { get; init; }
    public DateTimeOffset? SuccessTime { get; init; }
    public TransactionPayer? Payer { get; init; }
    public TransactionAmount? Amount { get; init; }
}

public sealed record TransactionPayer([property: JsonPropertyName("openid")] string OpenId);

/// <summary>Order amount in fen; <c>Total</c> is what the order asked for, <c>PayerTotal</c> what the user paid.</summary>
public sealed record TransactionAmount
{
    public long Total { get; init; }
    public long? PayerTotal { get; init; }
    public string Currency { get; init; } = "CNY";
    public string? PayerCurrency { get; init; }
}
