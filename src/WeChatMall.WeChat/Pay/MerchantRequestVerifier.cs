using System.Globalization;
using System.Security.Cryptography;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// Verifies a merchant's signed API request the way WeChat Pay does (签名生成, checked by the sandbox):
/// scheme, five parameters, ±5 minute clock window, then RSA-SHA256 over METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n.
/// </summary>
public sealed class MerchantRequestVerifier(TimeProvider time)
{
    /// <summary>Verifies against one known merchant public key.</summary>
    public AuthorizationVerifyResult Verify(
        string? authorizationHeader, string method, string pathAndQuery, ReadOnlySpan<byte> body,
        RSA merchantPublicKey)
        => Verify(authorizationHeader, method, pathAndQuery, body, _ => merchantPublicKey, out _);

    /// <summary>
    /// Verifies with a key chosen from the parsed header (by mchid and serial_no); a null key means unknown merchant.
    /// </summary>
    public AuthorizationVerifyResult Verify(
        string? authorizationHeader, string method, string pathAndQuery, ReadOnlySpan<byte> body,
        Func<WeChatPayAuthorization, RSA?> keyResolver, out WeChatPayAuthorization? authorization)
    {
        var parsed = WeChatPayAuthorization.TryParse(authorizationHeader, out authorization);
        if (parsed != AuthorizationVerifyResult.Valid)
            return parsed;
        if (!long.TryParse(authorization!.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return AuthorizationVerifyResult.Malformed;
        if (!SignatureClock.IsFresh(time, seconds))
            return AuthorizationVerifyResult.StaleTimestamp;
        if (keyResolver(authorization) is not { } key)
            return AuthorizationVerifyResult.UnknownMerchant;

        var message = WeChatPaySignature.RequestMessage(
            method, pathAndQuery, authorization.Timestamp, authorization.NonceStr, body);
        return WeChatPaySignature.Verify(key, message, authorization.Signature)
            ? AuthorizationVerifyResult.Valid
            : AuthorizationVerifyResult.Mismatch;
    }
}
