using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.WeChat.Tests.Pay;

public sealed class NotificationParserTests
{
    static WeChatPayNotificationParser VectorParser(string serial, string timestamp, string apiV3Key)
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(long.Parse(timestamp)));
        return new(new WeChatPayVerifier(new Dictionary<string, RSA> { [serial] = PayVectors.PublicKey() }, time), apiV3Key);
    }

    static WeChatPayHeaders VectorHeaders(string group, string vector) => new(
        PayVectors.Get(group, vector, "wechatpay_timestamp"), PayVectors.Get(group, vector, "wechatpay_nonce"),
        PayVectors.Get(group, vector, "wechatpay_signature"), PayVectors.Get(group, vector, "wechatpay_serial"));

    [Test]
    public void ParsePlaintext_Pay4OfficialNotifyWith16ByteKey_VerifiesAndDecrypts()
    {
        var parser = VectorParser("D7CE59D1F522D701", "1624523846", "testMchAPIv3Key0");
        var body = Encoding.UTF8.GetBytes(PayVectors.Get("official", "pay_notify_go", "body"));

        var result = parser.ParsePlaintext(VectorHeaders("official", "pay_notify_go"), body);

        Assert.That(result.Status, Is.EqualTo(NotificationParseStatus.Ok));
        Assert.That(result.Notification!.EventType, Is.EqualTo("PAYSCORE.USER_OPEN_SERVICE"));
        Assert.That(result.Resource, Is.EqualTo(PayVectors.Get("official", "pay_notify_go", "plaintext")));
    }

    [Test]
    public void ParseTransaction_Pay8DerivedNotify_ReturnsTypedTransaction()
    {
        var parser = VectorParser(PayVectors.Get("derived", "notify", "wechatpay_serial"), "1716182976",
                                  PayVectors.Get("derived", "notify", "apiv3_key"));
        var body = Encoding.UTF8.GetBytes(PayVectors.Get("derived", "notify", "body"));

        var result = parser.ParseTransaction(VectorHeaders("derived", "notify"), body);

        Assert.That(result.Status, Is.EqualTo(NotificationParseStatus.Ok), result.Signature.ToString());
        Assert.That(Convert.FromBase64String(result.Notification!.Resource!.Ciphertext)[^16..],
                    Is.EqualTo(Convert.FromHexString(PayVectors.Get("derived", "notify", "tag_hex"))));
        var t = result.Resource!;
        Assert.That((t.MchId, t.AppId, t.OutTradeNo, t.TradeState, t.Attach),
                    Is.EqualTo(("1230000109", "wxd678efh567hg6787", "1217752501201407033233368018", "SUCCESS", "order:42")));
        Assert.That((t.Amount!.Total, t.Amount.PayerTotal, t.Amount.Currency), Is.EqualTo((100L, (long?)100, "CNY")));
        Assert.That(t.Payer!.OpenId, Is.EqualTo("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"));
        Assert.That(t.TransactionId, Is.EqualTo("4200000000000000000000000001"));
        Assert.That(t.SuccessTime, Is.EqualTo(DateTimeOffset.Parse("2024-05-20T13:29:35+08:00")));
    }

    [Test]
    public void ParseTransaction_Pay8FiveMinutesLater_SignatureInvalidStale()
    {
        var parser = VectorParser(PayVectors.Get("derived", "notify", "wechatpay_serial"), "1716183276",
                                  PayVectors.Get("derived", "notify", "apiv3_key"));
        var result = parser.ParseTransaction(VectorHeaders("derived", "notify"),
                                             Encoding.UTF8.GetBytes(PayVectors.Get("derived", "notify", "body")));

        Assert.That(result.Status, Is.EqualTo(NotificationParseStatus.SignatureInvalid));
        Assert.That(result.Signature, Is.EqualTo(SignatureVerifyResult.StaleTimestamp));
        Assert.That(result.Resource, Is.Null);
    }

    [Test]
    public void Encrypt_Pay8Plaintext_ReproducesCiphertext()
        => Assert.That(AeadAesGcm.Encrypt(PayVectors.Get("derived", "notify", "apiv3_key"), "fixedNonce12", "transaction",
                                          PayVectors.Get("derived", "notify", "plaintext")),
                       Is.EqualTo(PayVectors.Get("derived", "notify", "ciphertext")));
}
