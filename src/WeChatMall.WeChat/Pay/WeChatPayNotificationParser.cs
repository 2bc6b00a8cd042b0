using System.Text.Json;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// Turns a notification POST (headers + raw body) into a typed resource (支付成功回调通知 / 退款结果通知):
/// verify the signature over the raw bytes first, then parse the envelope, then decrypt the resource.
/// Check mchid, appid and amount against your order afterwards; this class cannot know them.
/// </summary>
public sealed class WeChatPayNotificationParser(WeChatPayVerifier verifier, string apiV3Key)
{
    public NotificationParseResult<Transaction> ParseTransaction(WeChatPayHeaders headers, ReadOnlySpan<byte> body)
        => Parse<Transaction>(headers, body);

    public NotificationParseResult<RefundNotificationResource> ParseRefund(WeChatPayHeaders headers, ReadOnlySpan<byte> body)
        => Parse<RefundNotificationResource>(headers, body);

    public NotificationParseResult<T> Parse<T>(WeChatPayHeaders headers, ReadOnlySpan<byte> body) where T : class
    {
        var plain = ParsePlaintext(headers, body);
        if (!plain.IsOk)
            return new(plain.Status, plain.Signature, plain.Notification, null);
        try
        {
            return WeChatPayJson.Deserialize<T>(plain.Resource!) is { } resource
                ? plain.With(resource)
                : plain.Fail<T>(NotificationParseStatus.MalformedResource);
        }
        catch (JsonException)
        {
            return plain.Fail<T>(NotificationParseStatus.MalformedResource);
        }
    }

    /// <summary>Verified and decrypted resource as JSON text, for event types without a typed model.</summary>
    public NotificationParseResult<string> ParsePlaintext(WeChatPayHeaders headers, ReadOnlySpan<byte> body)
    {
        var signature = verifier.Verify(headers, body);
        if (signature != SignatureVerifyResult.Valid)
            return new(NotificationParseStatus.SignatureInvalid, signature, null, null);

        PayNotification? notification;
        try
        {
            notification = WeChatPayJson.Deserialize<PayNotification>(body);
        }
        catch (JsonException)
        {
            notification = null;
        }
        if (notification?.Resource is not { } resource)
            return new(NotificationParseStatus.MalformedBody, signature, notification, null);
        if (resource.Algorithm != AeadAesGcm.Algorithm)
            return new(NotificationParseStatus.UnsupportedAlgorithm, signature, notification, null);
        if (!AeadAesGcm.TryDecrypt(apiV3Key, resource.Nonce, resource.AssociatedData ?? "", resource.Ciphertext, out var json))
            return new(NotificationParseStatus.DecryptionFailed, signature, notification, null);
        return new(NotificationParseStatus.Ok, signature, notification, json);
    }
}

static class NotificationParseResultExtensions
{
    public static NotificationParseResult<T> With<T>(this NotificationParseResult<string> r, T resource) where T : class
        => new(NotificationParseStatus.Ok, r.Signature, r.Notification, resource);

    public static NotificationParseResult<T> Fail<T>(this NotificationParseResult<string> r, NotificationParseStatus s)
        where T : class
        => new(s, r.Signature, r.Notification, null);
}
