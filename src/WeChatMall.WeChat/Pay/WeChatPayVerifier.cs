using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// Verifies responses and notifications from WeChat Pay (签名验证). Holds public keys by id (微信支付公钥,
/// <c>PUB_KEY_ID_…</c>) and platform certificates by serial (平台证书) at the same time, because during migration
/// WeChat Pay switches between them per message and names the one it used in <c>Wechatpay-Serial</c>.
/// </summary>
public sealed class WeChatPayVerifier(IReadOnlyDictionary<string, RSA> keysBySerial, TimeProvider time)
{
    public const string SignatureProbePrefix = "WECHATPAY/SIGNTEST/";

    public IEnumerable<string> Serials => keysBySerial.Keys;

    public static WeChatPayVerifier Create(
        TimeProvider time, IEnumerable<(string Serial, RSA Key)> publicKeys, IEnumerable<X509Certificate2> certificates)
    {
        var keys = new Dictionary<string, RSA>(StringComparer.OrdinalIgnoreCase);
        foreach (var (serial, key) in publicKeys)
            keys[serial] = key;
        foreach (var cert in certificates)
            keys[PemKeys.SerialOf(cert)] = cert.GetRSAPublicKey()
                ?? throw new CryptographicException($"Certificate {cert.SerialNumber} has no RSA key.");
        return new WeChatPayVerifier(keys, time);
    }

    /// <summary>Verifies over the raw body bytes exactly as received; never re-serialize JSON first.</summary>
    public SignatureVerifyResult Verify(WeChatPayHeaders headers, ReadOnlySpan<byte> body)
    {
        if (headers is not { Timestamp: { } timestamp, Nonce: { } nonce, Signature: { } signature, Serial: { } serial })
            return SignatureVerifyResult.MissingHeader;
        if (signature.StartsWith(SignatureProbePrefix, StringComparison.Ordinal))
            return SignatureVerifyResult.SignatureProbe;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return SignatureVerifyResult.Malformed;
        if (!SignatureClock.IsFresh(time, seconds))
            return SignatureVerifyResult.StaleTimestamp;
        if (!keysBySerial.TryGetValue(serial, out var key))
            return SignatureVerifyResult.UnknownSerial;

        var message = WeChatPaySignature.ResponseMessage(timestamp, nonce, body);
        return WeChatPaySignature.Verify(key, message, signature)
            ? SignatureVerifyResult.Valid
            : SignatureVerifyResult.Mismatch;
    }
}
