using System.Security.Cryptography;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// Key material loaded once from <see cref="WeChatPayOptions"/>: the merchant private key (商户API私钥) for signing,
/// and a verifier holding the WeChat Pay public key and/or platform certificates.
/// </summary>
public sealed class WeChatPayCredentials(RSA merchantPrivateKey, WeChatPayVerifier verifier)
{
    public RSA MerchantPrivateKey { get; } = merchantPrivateKey;
    public WeChatPayVerifier Verifier { get; } = verifier;

    public static WeChatPayCredentials Load(WeChatPayOptions options, TimeProvider time)
    {
        var publicKeys = options.UsesPublicKey
            ? [(options.PlatformPublicKeyId!, PemKeys.LoadPublicKeyFile(options.PlatformPublicKeyPath!))]
            : Array.Empty<(string, RSA)>();
        var certificates = options.PlatformCertificatePaths.Select(PemKeys.LoadCertificateFile).ToList();
        return new(PemKeys.LoadPrivateKeyFile(options.MerchantPrivateKeyPath),
                   WeChatPayVerifier.Create(time, publicKeys, certificates));
    }
}
