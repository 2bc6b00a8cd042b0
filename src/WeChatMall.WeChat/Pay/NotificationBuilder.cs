using System.Text;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// Builds a signed, encrypted notification the way WeChat Pay sends it (回调通知), for the sandbox.
/// POST <see cref="Body"/> as UTF-8 with <see cref="Headers"/>.
/// </summary>
public sealed record SignedNotification(string Body, WeChatPayHeaders Headers);

/// <summary>Encrypts a resource with the merchant's APIv3 key and signs the envelope with the platform key.</summary>
public sealed class NotificationBuilder(WeChatPayResponseSigner signer, string apiV3Key, TimeProvider time)
{
    // eventType e.g. TRANSACTION.SUCCESS; originalType "transaction" or "refund", which WeChat Pay also uses as AAD.
    public SignedNotification Build<T>(string eventType, string originalType, string summary, T resource)
    {
        var nonce = WeChatPaySignature.NewNonce()[..12];
        var notification = new PayNotification
        {
            Id = Guid.NewGuid().ToString(),
            CreateTime = time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)),
            EventType = eventType,
            ResourceType = "encrypt-resource",
            Summary = summary,
            Resource = new NotificationResource
            {
                OriginalType = originalType,
                Algorithm = AeadAesGcm.Algorithm,
                Ciphertext = AeadAesGcm.Encrypt(apiV3Key, nonce, originalType, WeChatPayJson.Serialize(resource)),
                AssociatedData = originalType,
                Nonce = nonce,
            },
        };
        var body = WeChatPayJson.Serialize(notification);
        return new(body, signer.Sign(Encoding.UTF8.GetBytes(body)));
    }
}
