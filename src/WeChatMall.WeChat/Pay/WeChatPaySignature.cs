using System.Security.Cryptography;
using System.Text;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// Builds the signed messages of WeChat Pay API v3 (签名生成 / 签名验证 / JSAPI调起支付) and signs or verifies them
/// with RSA-SHA256 and PKCS#1 v1.5 padding (never PSS).
/// </summary>
public static class WeChatPaySignature
{
    /// <summary>Request message: METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n, body as the exact bytes sent.</summary>
    public static byte[] RequestMessage(
        string method, string pathAndQuery, string timestamp, string nonce, ReadOnlySpan<byte> body)
        => Concat($"{method.ToUpperInvariant()}\n{pathAndQuery}\n{timestamp}\n{nonce}\n", body);

    /// <summary>Response / notification message: TIMESTAMP\nNONCE\nBODY\n over the raw body bytes.</summary>
    public static byte[] ResponseMessage(string timestamp, string nonce, ReadOnlySpan<byte> body)
        => Concat($"{timestamp}\n{nonce}\n", body);

    /// <summary>paySign message for wx.requestPayment / getBrandWCPayRequest: appId\ntimeStamp\nnonceStr\npackage\n.</summary>
    public static byte[] PaySignMessage(string appId, string timeStamp, string nonceStr, string package)
        => Encoding.UTF8.GetBytes($"{appId}\n{timeStamp}\n{nonceStr}\n{package}\n");

    public static string Sign(RSA privateKey, ReadOnlySpan<byte> message)
        => Convert.ToBase64String(privateKey.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static string Sign(RSA privateKey, string message) => Sign(privateKey, Encoding.UTF8.GetBytes(message));

    public static bool Verify(RSA publicKey, ReadOnlySpan<byte> message, string signatureBase64)
    {
        var signature = new byte[(signatureBase64.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(signatureBase64, signature, out var written))
            return false;
        try
        {
            return publicKey.VerifyData(
                message, signature.AsSpan(0, written), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>32 random alphanumeric characters, the nonce shape the official SDKs use.</summary>
    public static string NewNonce()
        => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32);

    static byte[] Concat(string head, ReadOnlySpan<byte> body)
    {
        var headBytes = Encoding.UTF8.GetBytes(head);
        var message = new byte[headBytes.Length + body.Length + 1];
        headBytes.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(headBytes.Length));
        message[^1] = (byte)'\n';
        return message;
    }
}
