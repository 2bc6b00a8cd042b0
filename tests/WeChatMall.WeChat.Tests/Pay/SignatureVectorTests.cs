using System.Text;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.WeChat.Tests.Pay;

public sealed class SignatureVectorTests
{
    [Test]
    public void Sign_Pay3SourceWithPkcs8AndPkcs1_BothMatchVector()
    {
        using var pkcs8 = PemKeys.LoadPrivateKey(PayVectors.Pem("test-key.pkcs8.pem"));
        using var pkcs1 = PemKeys.LoadPrivateKey(PayVectors.Pem("test-key.pkcs1.pem"));
        var expected = PayVectors.Get("official", "pay_rsa_sign_go", "signature");

        Assert.That(WeChatPaySignature.Sign(pkcs8, "source"), Is.EqualTo(expected));
        Assert.That(WeChatPaySignature.Sign(pkcs1, "source"), Is.EqualTo(expected));
    }

    [Test]
    public void LoadPrivateKey_WithPublicKeyPem_Throws()
        => Assert.That(() => PemKeys.LoadPrivateKey(PayVectors.Pem("test-key.public.pem")),
                       Throws.InstanceOf<System.Security.Cryptography.CryptographicException>());

    [Test]
    public void RequestMessage_Pay5CertificatesGet_MatchesMessageSignatureAndHeader()
    {
        using var key = PayVectors.PrivateKey();
        var auth = WeChatPayAuthorization.Create(key, "1900009191", "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",
            "GET", "/v3/certificates", "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242", []);

        Assert.That(Encoding.UTF8.GetString(WeChatPaySignature.RequestMessage("GET", "/v3/certificates",
            "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242", [])), Is.EqualTo(PayVectors.Get("derived", "pay_req_get", "message")));
        Assert.That(auth.Signature, Is.EqualTo(PayVectors.Get("derived", "pay_req_get", "signature")));
        Assert.That(auth.ToString(), Is.EqualTo(PayVectors.Get("derived", "pay_req_get", "authorization_example")));
    }

    [Test]
    public void RequestMessage_Pay6JsapiPost_MatchesMessageAndSignature()
    {
        using var key = PayVectors.PrivateKey();
        var body = Encoding.UTF8.GetBytes(PayVectors.Get("derived", "pay_req_post", "body"));
        var message = WeChatPaySignature.RequestMessage(
            "POST", "/v3/pay/transactions/jsapi", "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242", body);

        Assert.That(Encoding.UTF8.GetString(message), Is.EqualTo(PayVectors.Get("derived", "pay_req_post", "message")));
        Assert.That(WeChatPaySignature.Sign(key, message), Is.EqualTo(PayVectors.Get("derived", "pay_req_post", "signature")));
    }

    [Test]
    public void RequestMessage_Pay7QueryWithMchId_MatchesMessageAndSignature()
    {
        using var key = PayVectors.PrivateKey();
        var message = WeChatPaySignature.RequestMessage("GET",
            "/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=1230000109",
            "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242", []);

        Assert.That(Encoding.UTF8.GetString(message), Is.EqualTo(PayVectors.Get("derived", "pay_req_get_query", "message")));
        Assert.That(WeChatPaySignature.Sign(key, message), Is.EqualTo(PayVectors.Get("derived", "pay_req_get_query", "signature")));
    }

    [Test]
    public void PaySign_Pay9_MatchesMessageAndSignature()
    {
        using var key = PayVectors.PrivateKey();
        var message = WeChatPaySignature.PaySignMessage("wx8888888888888888", "1414561699",
            "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", "prepay_id=wx201410272009395522657a690389285100");

        Assert.That(Encoding.UTF8.GetString(message), Is.EqualTo(PayVectors.Get("derived", "pay_sign", "message")));
        Assert.That(WeChatPaySignature.Sign(key, message), Is.EqualTo(PayVectors.Get("derived", "pay_sign", "signature")));
    }
}
