using WeChatMall.WeChat.Pay;

namespace WeChatMall.WeChat.Tests.Pay;

public sealed class AeadAesGcmTests
{
    const string Key = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb";
    const string Cipher = "ulwSiIajGClcvcOYvOQ7+l+0PAbzzwI=";

    [Test]
    public void Decrypt_Pay1Vector_ReturnsMessage()
    {
        Assert.That(AeadAesGcm.TryDecrypt(Key, "uluk4a9R25RW", "associatedData", Cipher, out var plain), Is.True);
        Assert.That(plain, Is.EqualTo("message"));
    }

    [Test]
    public void Encrypt_Pay1Vector_ReturnsCiphertext()
        => Assert.That(AeadAesGcm.Encrypt(Key, "uluk4a9R25RW", "associatedData", "message"), Is.EqualTo(Cipher));

    [Test]
    public void Decrypt_Pay2CertificateDownload_YieldsCertificateWithSerial()
    {
        var ok = AeadAesGcm.TryDecrypt(PayVectors.Get("official", "pay_cert_download", "key"),
            PayVectors.Get("official", "pay_cert_download", "nonce"), "certificate",
            PayVectors.Get("official", "pay_cert_download", "ciphertext"), out var pem);

        Assert.That(ok, Is.True);
        Assert.That(pem, Does.StartWith(PayVectors.Get("official", "pay_cert_download", "expected_plaintext_prefix")));
        using var cert = PemKeys.LoadCertificate(pem);
        Assert.That(PemKeys.SerialOf(cert), Is.EqualTo("5DEA10EF55877E3CF6C33255C2E7DEFFF7E427EC"));
        Assert.That(cert.Subject, Does.Contain("CN=Tenpay.com sign"));
    }

    [Test]
    public void RoundTrip_WithEmptyAad_Decrypts()
    {
        var c = AeadAesGcm.Encrypt(Key, "123456789012", "", "{\"a\":1}");
        Assert.That(AeadAesGcm.TryDecrypt(Key, "123456789012", "", c, out var plain), Is.True);
        Assert.That(plain, Is.EqualTo("{\"a\":1}"));
        Assert.That(AeadAesGcm.TryDecrypt(Key, "123456789012", "x", c, out _), Is.False);
    }

    [TestCase(Key, "uluk4a9R25RW", "associatedDatb", 0, TestName = "Decrypt_WithTamperedAad_Fails")]
    [TestCase(Key, "uluk4a9R25RX", "associatedData", 0, TestName = "Decrypt_WithTamperedNonce_Fails")]
    [TestCase("a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gc", "uluk4a9R25RW", "associatedData", 0, TestName = "Decrypt_WithWrongKey_Fails")]
    [TestCase(Key, "uluk4a9R25RW", "associatedData", 1, TestName = "Decrypt_WithTamperedCiphertext_Fails")]
    [TestCase(Key, "uluk4a9R25RW", "associatedData", 2, TestName = "Decrypt_WithTamperedTag_Fails")]
    [TestCase(Key, "uluk4a9R25RW", "associatedData", 3, TestName = "Decrypt_WithTagNotIncluded_Fails")]
    public void Decrypt_Tampered_Fails(string key, string nonce, string aad, int mutation)
    {
        var bytes = Convert.FromBase64String(Cipher);
        if (mutation == 1) bytes[0] ^= 1;
        if (mutation == 2) bytes[^1] ^= 1;
        if (mutation == 3) bytes = bytes[..^16];
        Assert.That(AeadAesGcm.TryDecrypt(key, nonce, aad, Convert.ToBase64String(bytes), out var plain), Is.False);
        Assert.That(plain, Is.Empty);
    }

    static PlatformCertificateEntry Pay2Entry(string serial) => new(serial, DateTimeOffset.MinValue, DateTimeOffset.MaxValue,
        new NotificationResource
        {
            Algorithm = AeadAesGcm.Algorithm, AssociatedData = "certificate",
            Nonce = PayVectors.Get("official", "pay_cert_download", "nonce"),
            Ciphertext = PayVectors.Get("official", "pay_cert_download", "ciphertext"),
        });

    [Test]
    public void PlatformCertificatesDecrypt_Pay2Entry_ReturnsCertificate()
    {
        using var cert = PlatformCertificates.Decrypt(Key, Pay2Entry("5DEA10EF55877E3CF6C33255C2E7DEFFF7E427EC"));
        Assert.That(PemKeys.SerialOf(cert), Is.EqualTo("5DEA10EF55877E3CF6C33255C2E7DEFFF7E427EC"));
    }

    [Test]
    public void PlatformCertificatesDecrypt_WithOtherSerial_Throws()
        => Assert.That(() => PlatformCertificates.Decrypt(Key, Pay2Entry("5DEA10EF55877E3CF6C33255C2E7DEFFF7E427ED")),
                       Throws.InstanceOf<System.Security.Cryptography.CryptographicException>());

    [Test]
    public void Deserialize_CertificatesResponse_ReadsEntries()
    {
        var json = $$$"""
            {"data":[{"serial_no":"5DEA10EF55877E3CF6C33255C2E7DEFFF7E427EC","effective_time":"2018-06-08T10:34:56+08:00",
              "expire_time":"2023-06-08T10:34:56+08:00","encrypt_certificate":{"algorithm":"AEAD_AES_256_GCM",
              "nonce":"{{{PayVectors.Get("official", "pay_cert_download", "nonce")}}}","associated_data":"certificate",
              "ciphertext":"{{{PayVectors.Get("official", "pay_cert_download", "ciphertext")}}}"}}]}
            """;

        var list = WeChatPayJson.Deserialize<PlatformCertificateList>(json)!;

        using var cert = PlatformCertificates.Decrypt(Key, list.Data.Single());
        Assert.That(list.Data[0].ExpireTime, Is.EqualTo(DateTimeOffset.Parse("2023-06-08T10:34:56+08:00")));
        Assert.That(cert.Subject, Does.Contain("Tenpay.com sign"));
    }
}
