using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Sandbox.Pay;

/// <summary>
/// The sandbox's WeChat Pay keys: the merchant public key it verifies requests with and the platform key it signs
/// responses and notifications with (public-key mode, serial PUB_KEY_ID_…).
/// </summary>
public sealed class PayKeys(IOptions<SandboxOptions> options, TimeProvider time)
{
    readonly Lazy<RSA?> _merchant = new(() => Load(options.Value.Merchant.PublicKeyPath, PemKeys.LoadPublicKeyFile));
    readonly Lazy<RSA?> _platform = new(() => Load(options.Value.Platform.PrivateKeyPath, PemKeys.LoadPrivateKeyFile));

    public bool Configured => _merchant.Value is not null && _platform.Value is not null;
    public RSA? MerchantPublicKey => _merchant.Value;
    public WeChatPayResponseSigner Signer => new(_platform.Value!, options.Value.Platform.PublicKeyId, time);

    static RSA? Load(string path, Func<string, RSA> load) => string.IsNullOrEmpty(path) ? null : load(path);
}
