using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.WeChat.Tests.Pay;

public sealed class NotificationBuilderTests
{
    const string ApiV3Key = "abcdefghijklmnopqrstuvwxyz012345";
    const string Serial = "PUB_KEY_ID_0000000000000000000000000000000001";

    RSA _platformKey = null!;
    FakeTimeProvider _time = null!;
    NotificationBuilder _builder = null!;
    WeChatPayNotificationParser _parser = null!;

    [SetUp]
    public void SetUp()
    {
        _platformKey = RSA.Create(2048);
        _time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        _builder = new NotificationBuilder(new WeChatPayResponseSigner(_platformKey, Serial, _time), ApiV3Key, _time);
        _parser = new(new WeChatPayVerifier(new Dictionary<string, RSA> { [Serial] = _platformKey }, _time), ApiV3Key);
    }

    [TearDown]
    public void TearDown() => _platformKey.Dispose();

    static RefundNotificationResource Refund() => new()
    {
        MchId = "1230000109", OutTradeNo = "ORDER_0001", OutRefundNo = "R_0001", RefundId = "50000000382019052709732678859",
        RefundStatus = "SUCCESS", UserReceivedAccount = "支付用户零钱",
        Amount = new() { Total = 100, Refund = 40, PayerTotal = 100, PayerRefund = 40 },
    };

    [Test]
    public void Build_RefundNotification_ParsesBackWithSameFields()
    {
        var n = _builder.Build("REFUND.SUCCESS", "refund", "退款成功", Refund());

        var result = _parser.ParseRefund(n.Headers, Encoding.UTF8.GetBytes(n.Body));

        Assert.That(result.Status, Is.EqualTo(NotificationParseStatus.Ok));
        Assert.That(n.Body, Does.Contain("\"event_type\":\"REFUND.SUCCESS\"").And.Contain("\"associated_data\":\"refund\""));
        Assert.That(result.Resource, Is.EqualTo(Refund() with { Amount = result.Resource!.Amount }));
        Assert.That((result.Resource.Amount!.Refund, result.Resource.Amount.PayerRefund), Is.EqualTo((40L, (long?)40)));
    }

    [Test]
    public void Parse_WithWrongApiV3Key_DecryptionFailed()
    {
        var n = _builder.Build("REFUND.SUCCESS", "refund", "退款成功", Refund());
        var other = new WeChatPayNotificationParser(
            new WeChatPayVerifier(new Dictionary<string, RSA> { [Serial] = _platformKey }, _time), "bbcdefghijklmnopqrstuvwxyz012345");

        Assert.That(other.ParseRefund(n.Headers, Encoding.UTF8.GetBytes(n.Body)).Status,
                    Is.EqualTo(NotificationParseStatus.DecryptionFailed));
    }

    [Test]
    public void Parse_ReserializedBody_SignatureMismatch()
    {
        var n = _builder.Build("REFUND.SUCCESS", "refund", "退款成功", Refund());
        var reserialized = n.Body.Replace(",\"", ", \"");

        var result = _parser.ParseRefund(n.Headers, Encoding.UTF8.GetBytes(reserialized));

        Assert.That((result.Status, result.Signature), Is.EqualTo((NotificationParseStatus.SignatureInvalid, SignatureVerifyResult.Mismatch)));
    }

    [Test]
    public void Parse_SignatureProbe_SignatureInvalidProbe()
    {
        var n = _builder.Build("TRANSACTION.SUCCESS", "transaction", "支付成功", new Transaction { OutTradeNo = "ORDER_0001" });
        var probe = new WeChatPayResponseSigner(_platformKey, Serial, _time).SignatureProbe(Encoding.UTF8.GetBytes(n.Body));

        var result = _parser.ParseTransaction(probe, Encoding.UTF8.GetBytes(n.Body));

        Assert.That((result.Status, result.Signature), Is.EqualTo((NotificationParseStatus.SignatureInvalid, SignatureVerifyResult.SignatureProbe)));
    }

    [Test]
    public void Parse_SignedButNotJson_MalformedBody()
    {
        var body = Encoding.UTF8.GetBytes("not json");
        var headers = new WeChatPayResponseSigner(_platformKey, Serial, _time).Sign(body);

        Assert.That(_parser.ParseTransaction(headers, body).Status, Is.EqualTo(NotificationParseStatus.MalformedBody));
    }
}
