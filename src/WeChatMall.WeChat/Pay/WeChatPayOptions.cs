using System.ComponentModel.DataAnnotations;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// WeChat Pay API v3 merchant settings (section <c>WeChatPay</c>, env <c>WeChatPay__MchId</c> …), see 商户平台 → API安全.
/// Configure the WeChat Pay public key (微信支付公钥), platform certificates (平台证书), or both while migrating.
/// <see cref="AppId"/> is the payer app: bind it from <c>WeChat:MiniProgram:AppId</c>.
/// </summary>
public sealed class WeChatPayOptions : IValidatableObject
{
    public const string SectionName = "WeChatPay";
    public const string PublicKeyIdPrefix = "PUB_KEY_ID_";

    [Required, RegularExpression("^[0-9]+$")] public string MchId { get; set; } = "";
    [Required, StringLength(32, MinimumLength = 32)] public string ApiV3Key { get; set; } = "";
    [Required] public string MerchantSerialNo { get; set; } = "";
    [Required] public string MerchantPrivateKeyPath { get; set; } = "";
    public string? PlatformPublicKeyId { get; set; }
    public string? PlatformPublicKeyPath { get; set; }
    public List<string> PlatformCertificatePaths { get; set; } = [];
    [Required, Url] public string NotifyUrl { get; set; } = "";
    /// <summary>Unset or empty: the host derives one from <see cref="NotifyUrl"/>.</summary>
    public string? RefundNotifyUrl { get; set; }
    [Required, Url] public string ApiBaseUrl { get; set; } = "https://api.mch.weixin.qq.com";
    [Required] public string AppId { get; set; } = "";
    [Range(0, 5)] public int MaxRetryAttempts { get; set; } = 2;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool UsesPublicKey => !string.IsNullOrEmpty(PlatformPublicKeyId);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Not [Url]: that refuses an empty value, which is how an environment variable says "unset".
        if (!string.IsNullOrEmpty(RefundNotifyUrl) && !(Uri.TryCreate(RefundNotifyUrl, UriKind.Absolute, out var refundUrl)
                                                        && refundUrl.Scheme is "http" or "https"))
            yield return new("RefundNotifyUrl must be an absolute http(s) URL, or empty.", [nameof(RefundNotifyUrl)]);
        if (UsesPublicKey != !string.IsNullOrEmpty(PlatformPublicKeyPath))
            yield return new("Set both PlatformPublicKeyId and PlatformPublicKeyPath, or neither.",
                             [nameof(PlatformPublicKeyId), nameof(PlatformPublicKeyPath)]);
        if (UsesPublicKey && !PlatformPublicKeyId!.StartsWith(PublicKeyIdPrefix, StringComparison.Ordinal))
            yield return new($"PlatformPublicKeyId must start with {PublicKeyIdPrefix}.", [nameof(PlatformPublicKeyId)]);
        if (!UsesPublicKey && PlatformCertificatePaths.Count == 0)
            yield return new("Configure the WeChat Pay public key or at least one platform certificate.",
                             [nameof(PlatformPublicKeyPath), nameof(PlatformCertificatePaths)]);
    }
}
