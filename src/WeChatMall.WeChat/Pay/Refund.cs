namespace WeChatMall.WeChat.Pay;

/// <summary>
/// A refund request (申请退款). The same <see cref="OutRefundNo"/> is the same refund, so retrying is safe.
/// <see cref="TotalFen"/> must equal the original order total; NotifyUrl defaults to options.RefundNotifyUrl.
/// </summary>
public sealed record RefundRequest(
    string OutTradeNo, string OutRefundNo, long RefundFen, long TotalFen, string? Reason = null, string? NotifyUrl = null);

sealed record RefundBody(
    string OutTradeNo, string OutRefundNo, string? Reason, string? NotifyUrl, RefundBodyAmount Amount);

sealed record RefundBodyAmount(long Refund, long Total, string Currency);

/// <summary>A refund as returned by create and query (申请退款 / 查询单笔退款); <c>status</c>, not refund_status.</summary>
public sealed record Refund
{
    public string RefundId { get; init; } = "";
    public string OutRefundNo { get; init; } = "";
    public string? TransactionId { get; init; }
    public string OutTradeNo { get; init; } = "";
    /// <summary>ORIGINAL, BALANCE, OTHER_BALANCE or OTHER_BANKCARD.</summary>
    public string? Channel { get; init; }
    public string? UserReceivedAccount { get; init; }
    public DateTimeOffset? SuccessTime { get; init; }
    public DateTimeOffset? CreateTime { get; init; }
    /// <summary>SUCCESS, CLOSED, PROCESSING or ABNORMAL.</summary>
    public string Status { get; init; } = "";
    public string? FundsAccount { get; init; }
    public RefundAmount? Amount { get; init; }
}

public sealed record RefundAmount
{
    public long Total { get; init; }
    public long Refund { get; init; }
    public long? PayerTotal { get; init; }
    public long? PayerRefund { get; init; }
    public long? SettlementTotal { get; init; }
    public long? SettlementRefund { get; init; }
    public long? DiscountRefund { get; init; }
    public string? Currency { get; init; }
}
