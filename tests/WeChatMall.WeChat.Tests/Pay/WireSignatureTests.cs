using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.WeChat.Tests.Pay;

// Checks our signatures as a server sees them on the wire, with plain RSA.VerifyData rather than our own helpers.
public sealed class WireSignatureTests : PayStubFixture
{
    static Dictionary<string, string> AuthPairs(string header)
    {
        Assert.That(header, Does.StartWith("WECHATPAY2-SHA256-RSA2048 "));
        return Regex.Matches(header, "(\\w+)=\"([^\"]*)\"").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    bool VerifiesIndependently(CapturedRequest r)
    {
        var a = AuthPairs(r.Headers["Authorization"]);
        var head = Encoding.UTF8.GetBytes($"{r.Method}\n{r.RawTarget}\n{a["timestamp"]}\n{a["nonce_str"]}\n");
        byte[] message = [.. head, .. r.Body, (byte)'\n'];
        using var pub = RSA.Create();
        pub.ImportSubjectPublicKeyInfo(Harness.MerchantKey.ExportSubjectPublicKeyInfo(), out _);
        return pub.VerifyData(message, Convert.FromBase64String(a["signature"]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    [Test]
    public async Task Prepay_AsReceivedByServer_SignatureVerifiesWithPlainRsa()
    {
        Stub.Reply = (_, _) => new StubReply(200, "{\"prepay_id\":\"wx201410272009395522657a690389285100\"}");

        await Harness.Client.JsapiPrepayAsync(new JsapiPrepayRequest("ORDER_2026-0001", "形象店-QQ公仔", 100,
            "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", DateTimeOffset.Parse("2026-05-20T05:29:35Z"), "order:42"), CancellationToken.None);

        var r = Stub.Requests.Single();
        Assert.That((r.Method, r.RawTarget), Is.EqualTo(("POST", "/v3/pay/transactions/jsapi")));
        Assert.That(VerifiesIndependently(r), Is.True);
        var a = AuthPairs(r.Headers["Authorization"]);
        Assert.That((a["mchid"], a["serial_no"], a.Count), Is.EqualTo((PayClientHarness.MchId, PayClientHarness.MerchantSerial, 5)));
        Assert.That(long.Parse(a["timestamp"]), Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).Within(60));
        Assert.That(a["nonce_str"], Does.Match("^[0-9A-Za-z]{32}$"));
        Assert.That(r.Headers["Accept"], Is.EqualTo("application/json"));
        Assert.That(r.Headers["User-Agent"], Is.Not.Empty);
        Assert.That(r.Headers["Content-Type"], Does.StartWith("application/json"));
        Assert.That(r.Headers["Wechatpay-Serial"], Is.EqualTo(PayStub.PublicKeyId));

        var body = JsonDocument.Parse(r.Body).RootElement;
        Assert.That(body.GetProperty("time_expire").GetString(), Is.EqualTo("2026-05-20T13:29:35+08:00"));
        Assert.That(body.GetProperty("appid").GetString(), Is.EqualTo(PayClientHarness.AppId));
        Assert.That(body.GetProperty("notify_url").GetString(), Is.EqualTo("https://mall.example.com/pay/notify"));
        Assert.That(body.GetProperty("payer").GetProperty("openid").GetString(), Is.EqualTo("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"));
        Assert.That(body.GetProperty("amount").GetProperty("total").GetInt64(), Is.EqualTo(100));
        Assert.That(Encoding.UTF8.GetString(r.Body), Does.Contain("形象店-QQ公仔"));
    }

    [Test]
    public async Task Query_AsReceivedByServer_SignsPathWithMchIdQuery()
    {
        Stub.Reply = (_, _) => new StubReply(200, "{\"out_trade_no\":\"ORDER_2026-0001\",\"trade_state\":\"NOTPAY\"}");

        await Harness.Client.QueryByOutTradeNoAsync("ORDER_2026-0001", CancellationToken.None);

        var r = Stub.Requests.Single();
        Assert.That(r.RawTarget, Is.EqualTo("/v3/pay/transactions/out-trade-no/ORDER_2026-0001?mchid=1230000109"));
        Assert.That(r.Body, Is.Empty);
        Assert.That(r.Headers.ContainsKey("Content-Type"), Is.False);
        Assert.That(VerifiesIndependently(r), Is.True);
    }

    [Test]
    public async Task QueryByTransactionId_AsReceivedByServer_SignsPathWithMchIdQuery()
    {
        Stub.Reply = (_, _) => new StubReply(200, "{\"transaction_id\":\"4200000000000000000000000001\",\"trade_state\":\"SUCCESS\"}");

        var t = await Harness.Client.QueryByTransactionIdAsync("4200000000000000000000000001", CancellationToken.None);

        Assert.That(t.TradeState, Is.EqualTo("SUCCESS"));
        var r = Stub.Requests.Single();
        Assert.That(r.RawTarget, Is.EqualTo("/v3/pay/transactions/id/4200000000000000000000000001?mchid=1230000109"));
        Assert.That(VerifiesIndependently(r), Is.True);
    }

    [Test]
    public async Task Verifier_OnStubCapturedRequest_AgreesWithPlainRsa()
    {
        Stub.Reply = (_, _) => new StubReply(204);
        await Harness.Client.CloseAsync("ORDER_2026-0001", CancellationToken.None);

        var r = Stub.Requests.Single();
        var verifier = new MerchantRequestVerifier(TimeProvider.System);
        Assert.That(VerifiesIndependently(r), Is.True);
        Assert.That(verifier.Verify(r.Headers["Authorization"], r.Method, r.RawTarget, r.Body, Harness.MerchantKey),
                    Is.EqualTo(AuthorizationVerifyResult.Valid));
        Assert.That(Encoding.UTF8.GetString(r.Body), Is.EqualTo("{\"mchid\":\"1230000109\"}"));
    }
}
