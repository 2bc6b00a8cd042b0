using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WeChatMall.WeChat.Pay;

/// <summary>Body of <c>GET /v3/certificates</c> (下载平台证书, legacy certificate mode only).</summary>
public sealed record PlatformCertificateList(IReadOnlyList<PlatformCertificateEntry> Data);

public sealed record PlatformCertificateEntry(
    string SerialNo, DateTimeOffset EffectiveTime, DateTimeOffset ExpireTime, NotificationResource EncryptCertificate);

/// <summary>Decrypts downloaded platform certificates with the APIv3 key and checks each against its serial_no.</summary>
public static class PlatformCertificates
{
    public static X509Certificate2 Decrypt(string apiV3Key, PlatformCertificateEntry entry)
    {
        var e = entry.EncryptCertificate;
        if (!AeadAesGcm.TryDecrypt(apiV3Key, e.Nonce, e.AssociatedData ?? "", e.Ciphertext, out var pem))
            throw new CryptographicException($"Platform certificate {entry.SerialNo} did not decrypt (wrong APIv3 key?).");
        var cert = PemKeys.LoadCertificate(pem);
        if (!string.Equals(PemKeys.SerialOf(cert), entry.SerialNo, StringComparison.OrdinalIgnoreCase))
        {
            cert.Dispose();
            throw new CryptographicException($"Platform certificate serial does not match {entry.SerialNo}.");
        }
        return cert;
    }
}
