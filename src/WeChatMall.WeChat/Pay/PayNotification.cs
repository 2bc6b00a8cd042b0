namespace WeChatMall.WeChat.Pay;

/// <summary>Notification envelope POSTed to notify_url (支付成功回调通知 / 退款结果通知).</summary>
public sealed record PayNotification
{
    public string Id { get; init; } = "";
    public DateTimeOffset? CreateTime { get; init; }
    /// <summary>TRANSACTION.SUCCESS, REFUND.SUCCESS, REFUND.ABNORMAL, REFUND.CLOSED, …</summary>
    public string EventType { get; init; } = "";
    public string ResourceType { get; init; } = "";
    public string? Summary { get; init; }
    public NotificationResource? Resource { get; init; }
}

/// <summary>The encrypted <c>resource</c> of a notification (AEAD_AES_256_GCM with the APIv3 key).</summary>
public sealed record NotificationResource
{
    public string OriginalType { get; init; } = "";
    public string Algorithm { get; init; } = "";
    public string Ciphertext { get; init; } = "";
    public string? AssociatedData { get; init; }
    public string Nonce { get; init; } = "";
}
