using System.Globalization;
using System.Security.Cryptography;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// Signs responses and notifications as WeChat Pay does (应答签名 / 回调签名), for the sandbox playing WeChat Pay.
/// <paramref name="serial"/> is the public key id (<c>PUB_KEY_ID_…</c>) or the platform certificate serial.
/// </summary>
public sealed class WeChatPayResponseSigner(RSA platformPrivateKey, string serial, TimeProvider time)
{
    public WeChatPayHeaders Sign(ReadOnlySpan<byte> body)
        => Sign(body, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                WeChatPaySignature.NewNonce());

    public WeChatPayHeaders Sign(ReadOnlySpan<byte> body, string timestamp, string nonce)
    {
        var message = WeChatPaySignature.ResponseMessage(timestamp, nonce, body);
        return new(timestamp, nonce, WeChatPaySignature.Sign(platformPrivateKey, message), serial);
    }

    /// <summary>The deliberate bad signature WeChat Pay sends now and then to check that merchants verify.</summary>
    public WeChatPayHeaders SignatureProbe(ReadOnlySpan<byte> body)
        => Sign(body) with { Signature = WeChatPayVerifier.SignatureProbePrefix + WeChatPaySignature.NewNonce() };
}
