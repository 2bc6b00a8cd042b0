using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.WeChat.Tests.Pay;

public sealed class WeChatPayVerifierTests
{
    const string Serial = "PUB_KEY_ID_0114232134912410000000000000";
    static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_716_182_976);
    static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"prepay_id\":\"wx2014\",\"说明\":\"支付\"}");

    RSA _key = null!;
    FakeTimeProvider _time = null!;
    WeChatPayVerifier _verifier = null!;
    WeChatPayHeaders _signed = null!;

    [SetUp]
    public void SetUp()
    {
        _key = RSA.Create(2048);
        _time = new FakeTimeProvider(Now);
        _verifier = new WeChatPayVerifier(new Dictionary<string, RSA> { [Serial] = _key }, _time);
        _signed = new WeChatPayResponseSigner(_key, Serial, _time).Sign(Body);
    }

    [TearDown]
    public void TearDown() => _key.Dispose();

    [Test]
    public void Verify_SignedByKey_IsValid()
    {
        Assert.That(_signed.Timestamp, Is.EqualTo("1716182976"));
        Assert.That(_verifier.Verify(_signed, Body), Is.EqualTo(SignatureVerifyResult.Valid));
    }

    [Test]
    public void Verify_EmptyBodyOf204_IsValid()
        => Assert.That(_verifier.Verify(new WeChatPayResponseSigner(_key, Serial, _time).Sign([]), []),
                       Is.EqualTo(SignatureVerifyResult.Valid));

    [Test]
    public void Verify_WithOneByteChangedInBody_Mismatch()
    {
        var body = (byte[])Body.Clone();
        body[5] ^= 1;
        Assert.That(_verifier.Verify(_signed, body), Is.EqualTo(SignatureVerifyResult.Mismatch));
    }

    [Test]
    public void Verify_WithChangedTimestamp_Mismatch()
        => Assert.That(_verifier.Verify(_signed with { Timestamp = "1716182977" }, Body), Is.EqualTo(SignatureVerifyResult.Mismatch));

    [Test]
    public void Verify_WithChangedNonce_Mismatch()
        => Assert.That(_verifier.Verify(_signed with { Nonce = Flip(_signed.Nonce!) }, Body), Is.EqualTo(SignatureVerifyResult.Mismatch));

    static string Flip(string s) => (s[0] == 'A' ? "B" : "A") + s[1..];

    [Test]
    public void Verify_WithOneByteChangedInSignature_Mismatch()
    {
        var sig = Convert.FromBase64String(_signed.Signature!);
        sig[10] ^= 1;
        Assert.That(_verifier.Verify(_signed with { Signature = Convert.ToBase64String(sig) }, Body),
                    Is.EqualTo(SignatureVerifyResult.Mismatch));
    }

    [TestCase(300, SignatureVerifyResult.StaleTimestamp, TestName = "Verify_FiveMinutesLate_Stale")]
    [TestCase(-300, SignatureVerifyResult.StaleTimestamp, TestName = "Verify_FiveMinutesEarly_Stale")]
    [TestCase(299, SignatureVerifyResult.Valid, TestName = "Verify_JustInsideWindow_Valid")]
    [TestCase(-299, SignatureVerifyResult.Valid, TestName = "Verify_JustInsideWindowEarly_Valid")]
    public void Verify_ClockMoved_ReturnsExpected(int seconds, SignatureVerifyResult expected)
    {
        var verifier = new WeChatPayVerifier(
            new Dictionary<string, RSA> { [Serial] = _key }, new FakeTimeProvider(Now.AddSeconds(seconds)));
        Assert.That(verifier.Verify(_signed, Body), Is.EqualTo(expected));
    }

    [Test]
    public void Verify_WithUnknownSerial_UnknownSerial()
        => Assert.That(_verifier.Verify(_signed with { Serial = "PUB_KEY_ID_999" }, Body), Is.EqualTo(SignatureVerifyResult.UnknownSerial));

    [Test]
    public void Verify_SignTestProbe_IsSignatureProbe()
    {
        var probe = new WeChatPayResponseSigner(_key, Serial, _time).SignatureProbe(Body);
        Assert.That(probe.Signature, Does.StartWith("WECHATPAY/SIGNTEST/"));
        Assert.That(_verifier.Verify(probe, Body), Is.EqualTo(SignatureVerifyResult.SignatureProbe));
    }

    [Test]
    public void Verify_WithMissingHeaders_MissingHeader()
    {
        Assert.That(_verifier.Verify(_signed with { Signature = null }, Body), Is.EqualTo(SignatureVerifyResult.MissingHeader));
        Assert.That(_verifier.Verify(_signed with { Serial = null }, Body), Is.EqualTo(SignatureVerifyResult.MissingHeader));
        Assert.That(_verifier.Verify(_signed with { Timestamp = null }, Body), Is.EqualTo(SignatureVerifyResult.MissingHeader));
        Assert.That(_verifier.Verify(_signed with { Nonce = null }, Body), Is.EqualTo(SignatureVerifyResult.MissingHeader));
    }

    [Test]
    public void Verify_WithOtherKeyUnderSameSerial_Mismatch()
    {
        using var other = RSA.Create(2048);
        var forged = new WeChatPayResponseSigner(other, Serial, _time).Sign(Body);
        Assert.That(_verifier.Verify(forged, Body), Is.EqualTo(SignatureVerifyResult.Mismatch));
    }

    [Test]
    public void Verify_CertificateAndPublicKeyModesTogether_BothValid()
    {
        using var certKey = RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=Tenpay.com sign", certKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(Now.AddDays(-1), Now.AddYears(5));
        var verifier = WeChatPayVerifier.Create(_time, [(Serial, _key)], [cert]);
        var certSigned = new WeChatPayResponseSigner(certKey, PemKeys.SerialOf(cert), _time).Sign(Body);

        Assert.That(verifier.Verify(certSigned, Body), Is.EqualTo(SignatureVerifyResult.Valid));
        Assert.That(verifier.Verify(_signed, Body), Is.EqualTo(SignatureVerifyResult.Valid));
        Assert.That(verifier.Verify(certSigned with { Serial = Serial }, Body), Is.EqualTo(SignatureVerifyResult.Mismatch));
    }
}
