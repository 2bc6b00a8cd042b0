using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.WeChat.Tests.Pay;

public sealed class MerchantRequestVerifierTests
{
    const string Path = "/v3/pay/transactions/out-trade-no/ORDER_0001?mchid=1230000109";
    static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_554_208_460);
    static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"mchid\":\"1230000109\"}");

    RSA _key = null!;
    FakeTimeProvider _time = null!;
    MerchantRequestVerifier _verifier = null!;
    string _header = null!;

    [SetUp]
    public void SetUp()
    {
        _key = RSA.Create(2048);
        _time = new FakeTimeProvider(Now);
        _verifier = new MerchantRequestVerifier(_time);
        _header = WeChatPayAuthorization.Create(_key, "1230000109", "ABC123", "POST", Path, "1554208460", "N0NCE", Body).ToString();
    }

    [TearDown]
    public void TearDown() => _key.Dispose();

    AuthorizationVerifyResult Verify(string? header, string method = "POST", string path = Path, byte[]? body = null)
        => _verifier.Verify(header, method, path, body ?? Body, _key);

    [Test]
    public void Verify_SignedRequest_Valid() => Assert.That(Verify(_header), Is.EqualTo(AuthorizationVerifyResult.Valid));

    [Test]
    public void Verify_PairsInOtherOrder_Valid()
    {
        WeChatPayAuthorization.TryParse(_header, out var a);
        var reordered = $"WECHATPAY2-SHA256-RSA2048 serial_no=\"{a!.SerialNo}\", timestamp=\"{a.Timestamp}\",signature=\"{a.Signature}\",nonce_str=\"{a.NonceStr}\",mchid=\"{a.MchId}\"";
        Assert.That(Verify(reordered), Is.EqualTo(AuthorizationVerifyResult.Valid));
    }

    [TestCase(null, AuthorizationVerifyResult.MissingHeader, TestName = "Verify_NoHeader_MissingHeader")]
    [TestCase("Bearer abc", AuthorizationVerifyResult.BadScheme, TestName = "Verify_OtherScheme_BadScheme")]
    [TestCase("WECHATPAY2-SHA256-RSA2048 mchid=\"1\"", AuthorizationVerifyResult.Malformed, TestName = "Verify_OnePair_Malformed")]
    [TestCase("WECHATPAY2-SHA256-RSA2048 mchid=\"1\",nonce_str=\"n\",signature=\"s\",timestamp=\"1\",mchid=\"2\"", AuthorizationVerifyResult.Malformed, TestName = "Verify_RepeatedKey_Malformed")]
    [TestCase("WECHATPAY2-SHA256-RSA2048 mchid=1,nonce_str=\"n\",signature=\"s\",timestamp=\"1\",serial_no=\"2\"", AuthorizationVerifyResult.Malformed, TestName = "Verify_UnquotedValue_Malformed")]
    public void Verify_BadHeader_ReturnsResult(string? header, AuthorizationVerifyResult expected)
        => Assert.That(Verify(header), Is.EqualTo(expected));

    [Test]
    public void Verify_ChangedMethodPathOrBody_Mismatch()
    {
        Assert.That(Verify(_header, method: "GET"), Is.EqualTo(AuthorizationVerifyResult.Mismatch));
        Assert.That(Verify(_header, path: Path.Replace("0001", "0002")), Is.EqualTo(AuthorizationVerifyResult.Mismatch));
        Assert.That(Verify(_header, body: Encoding.UTF8.GetBytes("{\"mchid\":\"1230000108\"}")), Is.EqualTo(AuthorizationVerifyResult.Mismatch));
    }

    [Test]
    public void Verify_TimestampFiveMinutesOld_Stale()
    {
        _time.SetUtcNow(Now.AddSeconds(299));
        Assert.That(Verify(_header), Is.EqualTo(AuthorizationVerifyResult.Valid));
        _time.SetUtcNow(Now.AddSeconds(300));
        Assert.That(Verify(_header), Is.EqualTo(AuthorizationVerifyResult.StaleTimestamp));
    }

    [Test]
    public void Verify_ResolverFindsNoKey_UnknownMerchant()
    {
        var result = _verifier.Verify(_header, "POST", Path, Body, a => a.SerialNo == "OTHER" ? _key : null, out var parsed);
        Assert.That(result, Is.EqualTo(AuthorizationVerifyResult.UnknownMerchant));
        Assert.That(parsed!.MchId, Is.EqualTo("1230000109"));
    }
}
