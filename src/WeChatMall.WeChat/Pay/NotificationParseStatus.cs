namespace WeChatMall.WeChat.Pay;

/// <summary>Why a notification was rejected (回调通知: verify, then decrypt); anything but Ok ⇒ answer 4xx/5xx.</summary>
public enum NotificationParseStatus
{
    Ok,
    /// <summary>See <see cref="NotificationParseResult{T}.Signature"/> for the reason (probe, stale, unknown serial…).</summary>
    SignatureInvalid,
    MalformedBody,
    UnsupportedAlgorithm,
    DecryptionFailed,
    MalformedResource,
}

/// <summary>Result of <see cref="WeChatPayNotificationParser"/>; <c>Resource</c> is set only when Ok.</summary>
public sealed record NotificationParseResult<T>(
    NotificationParseStatus Status, SignatureVerifyResult Signature, PayNotification? Notification, T? Resource)
    where T : class
{
    public bool IsOk => Status == NotificationParseStatus.Ok;
}
