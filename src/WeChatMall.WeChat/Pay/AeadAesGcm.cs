using System.Security.Cryptography;
using System.Text;

namespace WeChatMall.WeChat.Pay;

/// <summary>
/// AEAD_AES_256_GCM as used for notification resources and certificate download (证书和回调报文解密):
/// key = APIv3 key as UTF-8, nonce and associated data as UTF-8 (AAD may be empty), base64(ciphertext ‖ 16-byte tag).
/// The key length decides AES-128/192/256; production APIv3 keys are 32 bytes.
/// </summary>
public static class AeadAesGcm
{
    public const string Algorithm = "AEAD_AES_256_GCM";
    const int TagSize = 16;

    public static string Encrypt(string apiV3Key, string nonce, string associatedData, string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[plain.Length + TagSize];
        using var gcm = new AesGcm(Encoding.UTF8.GetBytes(apiV3Key), TagSize);
        gcm.Encrypt(Encoding.UTF8.GetBytes(nonce), plain, output.AsSpan(0, plain.Length),
                    output.AsSpan(plain.Length), Encoding.UTF8.GetBytes(associatedData));
        return Convert.ToBase64String(output);
    }

    /// <summary>Returns false on any failure: bad base64, bad key/nonce size, or tag mismatch (tampering, wrong key).</summary>
    public static bool TryDecrypt(
        string apiV3Key, string nonce, string associatedData, string ciphertextBase64, out string plaintext)
    {
        plaintext = "";
        byte[] data;
        try
        {
            data = Convert.FromBase64String(ciphertextBase64);
        }
        catch (FormatException)
        {
            return false;
        }
        if (data.Length < TagSize)
            return false;
        var plain = new byte[data.Length - TagSize];
        try
        {
            using var gcm = new AesGcm(Encoding.UTF8.GetBytes(apiV3Key), TagSize);
            gcm.Decrypt(Encoding.UTF8.GetBytes(nonce), data.AsSpan(0, plain.Length), data.AsSpan(plain.Length),
                        plain, Encoding.UTF8.GetBytes(associatedData));
        }
        catch (CryptographicException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
        plaintext = Encoding.UTF8.GetString(plain);
        return true;
    }
}
