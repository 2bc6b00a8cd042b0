using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.WeChat.Tests.Pay;

public sealed class WeChatPayClientTests
{
    const string PrepayBody = "{\"prepay_id\":\"wx201410272009395522657a690389285100\"}";
    static readonly JsapiPrepayRequest Prepay = new("ORDER_2026-0001", "QQ公仔", 100, "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");

    PayStub _stub = null!;
    PayClientHarness _harness = null!;

    [OneTimeSetUp]
    public async Task StartStub() => _stub = await PayStub.StartAsync();

    [OneTimeTearDown]
    public async Task StopStub() => await _stub.DisposeAsync();

    [SetUp]
    public void SetUp()
    {
        _stub.Requests.Clear();
        _harness = new PayClientHarness(_stub);
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public async Task Prepay_SignedResponse_ReturnsPrepayId()
    {
        _stub.Reply = (_, _) => new StubReply(200, PrepayBody);

        var prepayId = await _harness.Client.JsapiPrepayAsync(Prepay, CancellationToken.None);

        Assert.That(prepayId, Is.EqualTo("wx201410272009395522657a690389285100"));
    }

    [TestCase("signature", SignatureVerifyResult.Mismatch, TestName = "Prepay_WithBadResponseSignature_ThrowsMismatch")]
    [TestCase("probe", SignatureVerifyResult.SignatureProbe, TestName = "Prepay_WithSignTestProbe_ThrowsSignatureProbe")]
    [TestCase("serial", SignatureVerifyResult.UnknownSerial, TestName = "Prepay_WithUnknownSerial_ThrowsUnknownSerial")]
    [TestCase("stale", SignatureVerifyResult.StaleTimestamp, TestName = "Prepay_WithStaleResponse_ThrowsStale")]
    [TestCase("unsigned", SignatureVerifyResult.MissingHeader, TestName = "Prepay_WithUnsignedResponse_ThrowsMissingHeader")]
    public void Prepay_UntrustedResponse_Throws(string tamper, SignatureVerifyResult expected)
    {
        _stub.Reply = (_, _) => new StubReply(200, PrepayBody, Unsigned: tamper == "unsigned", Tamper: h => tamper switch
        {
            "signature" => h with { Signature = (h.Signature![0] == 'A' ? "B" : "A") + h.Signature[1..] },
            "probe" => h with { Signature = "WECHATPAY/SIGNTEST/" + h.Signature },
            "serial" => h with { Serial = "PUB_KEY_ID_0000000000000000000000000000000099" },
            "stale" => h with { Timestamp = (long.Parse(h.Timestamp!) - 300).ToString() },
            _ => h,
        });

        var e = Assert.ThrowsAsync<WeChatPayResponseSignatureException>(
            () => _harness.Client.JsapiPrepayAsync(Prepay, CancellationToken.None));

        Assert.That(e!.Verification, Is.EqualTo(expected));
        Assert.That(e.HttpStatus, Is.EqualTo(200));
        Assert.That(_stub.Requests, Has.Count.EqualTo(1), "a bad signature is not a transient failure");
    }

    [Test]
    public void Query_OrderNotExist_ThrowsTypedException()
    {
        _stub.Reply = (_, _) => new StubReply(404, "{\"code\":\"ORDER_NOT_EXIST\",\"message\":\"订单不存在\"}");

        var e = Assert.ThrowsAsync<WeChatPayException>(
            () => _harness.Client.QueryByOutTradeNoAsync("ORDER_404404", CancellationToken.None));

        Assert.That((e!.HttpStatus, e.Code, e.Message, e.RequestId), Is.EqualTo((404, "ORDER_NOT_EXIST", "订单不存在", "REQ-1")));
        Assert.That((e.IsOrderNotExist, e.IsOrderPaid, e.IsTransient), Is.EqualTo((true, false, false)));
    }

    [Test]
    public void Prepay_ParamError_CarriesDetail()
    {
        _stub.Reply = (_, _) => new StubReply(400,
            "{\"code\":\"PARAM_ERROR\",\"message\":\"参数错误\",\"detail\":{\"field\":\"/amount/currency\",\"location\":\"body\"}}");

        var e = Assert.ThrowsAsync<WeChatPayException>(() => _harness.Client.JsapiPrepayAsync(Prepay, CancellationToken.None));

        Assert.That(e!.Code, Is.EqualTo("PARAM_ERROR"));
        Assert.That(e.Detail, Does.Contain("/amount/currency"));
        Assert.That(_stub.Requests, Has.Count.EqualTo(1), "4xx is not retried");
    }

    [Test]
    public void Close_PaidOrder_ThrowsIsOrderPaid()
    {
        _stub.Reply = (_, _) => new StubReply(403, "{\"code\":\"ORDERPAID\",\"message\":\"订单已支付\"}");

        var e = Assert.ThrowsAsync<WeChatPayException>(() => _harness.Client.CloseAsync("ORDER_2026-0001", CancellationToken.None));

        Assert.That(e!.IsOrderPaid, Is.True);
    }

    [Test]
    public async Task Query_FirstAttempt500_RetriedWithFreshSignature()
    {
        _stub.Reply = (_, i) => i == 0
            ? new StubReply(500, "{\"code\":\"SYSTEM_ERROR\",\"message\":\"系统错误\"}")
            : new StubReply(200, "{\"out_trade_no\":\"ORDER_2026-0001\",\"trade_state\":\"SUCCESS\",\"transaction_id\":\"4200000001\",\"amount\":{\"total\":100,\"currency\":\"CNY\"}}");

        var t = await _harness.Client.QueryByOutTradeNoAsync("ORDER_2026-0001", CancellationToken.None);

        Assert.That((t.TradeState, t.TransactionId, t.Amount!.Total), Is.EqualTo(("SUCCESS", "4200000001", 100L)));
        var auths = _stub.Requests.Select(r => r.Headers["Authorization"]).ToList();
        Assert.That(auths, Has.Count.EqualTo(2));
        Assert.That(auths[1], Is.Not.EqualTo(auths[0]), "each attempt carries a new nonce and signature");
        var verifier = new MerchantRequestVerifier(TimeProvider.System);
        Assert.That(_stub.Requests.Select(r => verifier.Verify(r.Headers["Authorization"], r.Method, r.RawTarget, r.Body, _harness.MerchantKey)),
                    Is.All.EqualTo(AuthorizationVerifyResult.Valid));
    }

    [Test]
    public async Task Query_FirstAttemptTimesOut_RetriedAndSucceeds()
    {
        using var harness = new PayClientHarness(_stub, s => s["WeChatPay:AttemptTimeout"] = "00:00:00.300");
        _stub.Reply = (_, i) => new StubReply(200, "{\"out_trade_no\":\"ORDER_2026-0001\",\"trade_state\":\"NOTPAY\"}",
                                              Delay: i == 0 ? TimeSpan.FromSeconds(5) : TimeSpan.Zero);

        var t = await harness.Client.QueryByOutTradeNoAsync("ORDER_2026-0001", CancellationToken.None);

        Assert.That(t.TradeState, Is.EqualTo("NOTPAY"));
        Assert.That(_stub.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public void Query_Always503_GivesUpAfterBoundedRetries()
    {
        _stub.Reply = (_, _) => new StubReply(503, "{\"code\":\"SERVICE_UNAVAILABLE\",\"message\":\"稍后再试\"}");

        var e = Assert.ThrowsAsync<WeChatPayException>(
            () => _harness.Client.QueryByOutTradeNoAsync("ORDER_2026-0001", CancellationToken.None));

        Assert.That((e!.HttpStatus, e.IsTransient), Is.EqualTo((503, true)));
        Assert.That(_stub.Requests, Has.Count.EqualTo(3), "one attempt plus MaxRetryAttempts = 2");
    }

    [Test]
    public void Query_ServerUnreachable_ThrowsTransientWeChatPayException()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var harness = new PayClientHarness(_stub, s => s["WeChatPay:ApiBaseUrl"] = $"http://127.0.0.1:{port}");

        var e = Assert.ThrowsAsync<WeChatPayException>(() => harness.Client.QueryByOutTradeNoAsync("ORDER_2026-0001", CancellationToken.None));

        Assert.That((e!.HttpStatus, e.IsTransient), Is.EqualTo((0, true)));
    }

    [Test]
    public void Query_EveryAttemptTimesOut_ThrowsTransientAfterRetries()
    {
        using var harness = new PayClientHarness(_stub, s => s["WeChatPay:AttemptTimeout"] = "00:00:00.200");
        _stub.Reply = (_, _) => new StubReply(200, "{}", Delay: TimeSpan.FromSeconds(5));

        var e = Assert.ThrowsAsync<WeChatPayException>(() => harness.Client.QueryByOutTradeNoAsync("ORDER_2026-0001", CancellationToken.None));

        Assert.That((e!.HttpStatus, e.IsTransient), Is.EqualTo((0, true)));
        Assert.That(_stub.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public void Query_CallerCancels_ThrowsOperationCanceled()
    {
        _stub.Reply = (_, _) => new StubReply(200, "{}", Delay: TimeSpan.FromSeconds(5));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.That(() => _harness.Client.QueryByOutTradeNoAsync("ORDER_2026-0001", cts.Token),
                    Throws.InstanceOf<OperationCanceledException>());
        Assert.That(_stub.Requests, Has.Count.EqualTo(1));
    }

    [TestCase(502, "<html>bad gateway</html>", TestName = "Query_HtmlErrorBody_ThrowsWithStatusOnly")]
    [TestCase(400, "[1,2]", TestName = "Query_ArrayErrorBody_ThrowsWithStatusOnly")]
    [TestCase(400, "{\"code\":42}", TestName = "Query_NumericErrorCode_ThrowsWithStatusOnly")]
    public void Query_OddErrorBody_ThrowsWeChatPayException(int status, string body)
    {
        _stub.Reply = (_, _) => new StubReply(status, body);

        var e = Assert.ThrowsAsync<WeChatPayException>(() => _harness.Client.QueryByOutTradeNoAsync("ORDER_2026-0001", CancellationToken.None));

        Assert.That((e!.HttpStatus, e.Code), Is.EqualTo((status, (string?)null)));
    }

    [Test]
    public void Query_SignedEmpty200_Throws()
    {
        _stub.Reply = (_, _) => new StubReply(200, "");

        var e = Assert.ThrowsAsync<WeChatPayException>(() => _harness.Client.QueryByOutTradeNoAsync("ORDER_2026-0001", CancellationToken.None));

        Assert.That(e!.Message, Does.Contain("empty"));
    }

    [Test]
    public void Send_NonIdempotentCallWith500_NotRetried()
    {
        _stub.Reply = (_, _) => new StubReply(500, "{\"code\":\"SYSTEM_ERROR\",\"message\":\"系统错误\"}");
        var http = _harness.Services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(WeChatPayClient));
        var transport = new WeChatPayTransport(http, _harness.Services.GetRequiredService<WeChatPayCredentials>().Verifier,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        Assert.ThrowsAsync<WeChatPayException>(() => transport.SendAsync<object>(
            HttpMethod.Post, new Uri(_stub.BaseUrl + "/v3/some/non-idempotent"), new { x = 1 }, idempotent: false, CancellationToken.None));

        Assert.That(_stub.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Close_204_VerifiesEmptyBody()
    {
        _stub.Reply = (_, _) => new StubReply(204);

        await _harness.Client.CloseAsync("ORDER_2026-0001", CancellationToken.None);

        Assert.That(_stub.Requests.Single().RawTarget, Is.EqualTo("/v3/pay/transactions/out-trade-no/ORDER_2026-0001/close"));
    }

    [TestCase("ORDER|0001", TestName = "Prepay_OutTradeNoWithPipe_ThrowsBeforeSending")]
    [TestCase("ORD01", TestName = "Prepay_OutTradeNoTooShort_ThrowsBeforeSending")]
    [TestCase("ORDER_0001_ORDER_0001_ORDER_00012", TestName = "Prepay_OutTradeNoTooLong_ThrowsBeforeSending")]
    public void Prepay_InvalidOutTradeNo_Throws(string outTradeNo)
    {
        Assert.ThrowsAsync<ArgumentException>(() => _harness.Client.JsapiPrepayAsync(Prepay with { OutTradeNo = outTradeNo }, CancellationToken.None));
        Assert.That(_stub.Requests, Is.Empty);
    }

    [Test]
    public void Prepay_DescriptionWithEmoji_ThrowsBeforeSending()
    {
        Assert.ThrowsAsync<ArgumentException>(() => _harness.Client.JsapiPrepayAsync(Prepay with { Description = "公仔🎁" }, CancellationToken.None));
        Assert.That(_stub.Requests, Is.Empty);
    }
}
