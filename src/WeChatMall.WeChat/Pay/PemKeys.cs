using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// Loads WeChat Pay key material from PEM (商户API私钥 apiclient_key.pem, 微信支付公钥, 平台证书).
/// Private keys may be PKCS#8 (<c>BEGIN PRIVATE KEY</c>, what the console issues) or PKCS#1
/// (<c>BEGIN RSA PRIVATE KEY</c>); public keys are SPKI (<c>BEGIN PUBLIC KEY</c>).
/// </summary>
public static class PemKeys
{
    public static RSA LoadPrivateKey(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
        // A public-only PEM would import fine and only fail at the first signature; fail here instead.
        if (!HasPrivateKey(rsa))
        {
            rsa.Dispose();
            throw new CryptographicException("The PEM does not contain an RSA private key.");
        }
        return rsa;
    }

    public static RSA LoadPublicKey(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    public static X509Certificate2 LoadCertificate(string pem) => X509Certificate2.CreateFromPem(pem);

    /// <summary>Certificate serial as WeChat Pay writes it in <c>Wechatpay-Serial</c>: upper-case hex.</summary>
    public static string SerialOf(X509Certificate2 certificate) => certificate.SerialNumber.ToUpperInvariant();

    public static RSA LoadPrivateKeyFile(string path) => LoadPrivateKey(File.ReadAllText(path));

    public static RSA LoadPublicKeyFile(string path) => LoadPublicKey(File.ReadAllText(path));

    public static X509Certificate2 LoadCertificateFile(string path) => LoadCertificate(File.ReadAllText(path));

    static bool HasPrivateKey(RSA rsa)
    {
        try
        {
            return rsa.ExportParameters(includePrivateParameters: true).D is not null;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
