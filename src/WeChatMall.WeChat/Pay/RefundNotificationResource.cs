using System.Text.Json.Serialization;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// Decrypted resource of REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED notifications (退款结果通知).
/// Note the field is <c>refund_status</c> here but <c>status</c> in the refund API response.
/// </summary>
public sealed record RefundNotificationResource
{
    [JsonPropertyName("mchid")] public string MchId { get; init; } = "";
    public string OutTradeNo { get; init; } = "";
    public string? TransactionId { get; init; }
    public string OutRefundNo { get; init; } = "";
    public string RefundId { get; init; } = "";
    public string RefundStatus { get; init; } = "";
    public DateTimeOffset? SuccessTime { get; init; }
    public string? UserReceivedAccount { get; init; }
    public RefundNotificationAmount? Amount { get; init; }
}

public sealed record RefundNotificationAmount
{
    public long Total { get; init; }
    public long Refund { get; init; }
    public long? PayerTotal { get; init; }
    public long? PayerRefund { get; init; }
}
