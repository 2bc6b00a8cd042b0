using System.Text.Json;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.WeChat.Tests.Pay;

public sealed class RequestPaymentTests
{
    [Test]
    public void Create_Pay9Values_MatchesVectorPaySign()
    {
        using var key = PayVectors.PrivateKey();

        var p = RequestPayment.Create(key, "wx8888888888888888", "wx201410272009395522657a690389285100",
                                      "1414561699", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS");

        Assert.That(p.PaySign, Is.EqualTo(PayVectors.Get("derived", "pay_sign", "signature")));
        Assert.That((p.Package, p.SignType), Is.EqualTo(("prepay_id=wx201410272009395522657a690389285100", "RSA")));
    }

    [Test]
    public void Serialize_RequestPayment_UsesClientKeyNamesAndStrings()
    {
        using var key = PayVectors.PrivateKey();
        var p = RequestPayment.Create(key, "wx8888888888888888", "wx2014", new Microsoft.Extensions.Time.Testing.FakeTimeProvider(
            DateTimeOffset.FromUnixTimeSeconds(1_414_561_699)));

        var json = JsonDocument.Parse(JsonSerializer.Serialize(p)).RootElement;

        Assert.That(json.EnumerateObject().Select(x => x.Name),
                    Is.EqualTo(new[] { "appId", "timeStamp", "nonceStr", "package", "signType", "paySign" }));
        Assert.That(json.EnumerateObject().Select(x => x.Value.ValueKind), Is.All.EqualTo(JsonValueKind.String));
        Assert.That(json.GetProperty("timeStamp").GetString(), Is.EqualTo("1414561699"));
        using var pub = PayVectors.PublicKey();
        Assert.That(WeChatPaySignature.Verify(pub, WeChatPaySignature.PaySignMessage(
            "wx8888888888888888", p.TimeStamp, p.NonceStr, "prepay_id=wx2014"), p.PaySign), Is.True);
    }

    [Test]
    public void PrepayBody_Pay6Values_SerializesToVectorBody()
    {
        var body = JsapiPrepayBody.From(
            new JsapiPrepayRequest("1217752501201407033233368018", "Image形象店-深圳腾大-QQ公仔", 100,
                                   "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", DateTimeOffset.Parse("2018-06-08T02:34:56Z")),
            "wxd678efh567hg6787", "1230000109", "https://www.weixin.qq.com/wxpay/pay.php");

        Assert.That(WeChatPayJson.Serialize(body), Is.EqualTo(PayVectors.Get("derived", "pay_req_post", "body")));
    }

    [TestCase("2024-05-20T05:29:35Z", "2024-05-20T13:29:35+08:00", TestName = "TimeExpire_FromUtc_FormatsAsChinaTime")]
    [TestCase("2024-05-20T07:29:35+02:00", "2024-05-20T13:29:35+08:00", TestName = "TimeExpire_FromOtherOffset_FormatsAsChinaTime")]
    public void TimeExpire_Formats(string input, string expected)
        => Assert.That(JsapiPrepayBody.Rfc3339China(DateTimeOffset.Parse(input)), Is.EqualTo(expected));
}
