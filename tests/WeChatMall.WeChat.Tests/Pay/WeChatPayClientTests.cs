using WeChatMall.WeChat.Pay;

namespace WeChatMall.WeChat.Tests.Pay;

public sealed class WeChatPayClientTests : PayStubFixture
{
    const string PrepayBody = "{\"prepay_id\":\"wx201410272009395522657a690389285100\"}";
    static readonly JsapiPrepayRequest Prepay = new("ORDER_2026-0001", "QQ公仔", 100, "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");

    [Test]
    public async Task Prepay_SignedResponse_ReturnsPrepayId()
    {
        Stub.Reply = (_, _) => new StubReply(200, PrepayBody);

        var prepayId = await Harness.Client.JsapiPrepayAsync(Prepay, CancellationToken.None);

        Assert.That(prepayId, Is.EqualTo("wx201410272009395522657a690389285100"));
    }

    [TestCase("signature", SignatureVerifyResult.Mismatch, TestName = "Prepay_WithBadResponseSignature_ThrowsMismatch")]
    [TestCase("probe", SignatureVerifyResult.SignatureProbe, TestName = "Prepay_WithSignTestProbe_ThrowsSignatureProbe")]
    [TestCase("serial", SignatureVerifyResult.UnknownSerial, TestName = "Prepay_WithUnknownSerial_ThrowsUnknownSerial")]
    [TestCase("stale", SignatureVerifyResult.StaleTimestamp, TestName = "Prepay_WithStaleResponse_ThrowsStale")]
    [TestCase("unsigned", SignatureVerifyResult.MissingHeader, TestName = "Prepay_WithUnsignedResponse_ThrowsMissingHeader")]
    public void Prepay_UntrustedResponse_Throws(string tamper, SignatureVerifyResult expected)
    {
        Stub.Reply = (_, _) => new StubReply(200, PrepayBody, Unsigned: tamper == "unsigned", Tamper: h => tamper switch
        {
            "signature" => h with { Signature = (h.Signature![0] == 'A' ? "B" : "A") + h.Signature[1..] },
            "probe" => h with { Signature = "WECHATPAY/SIGNTEST/" + h.Signature },
            "serial" => h with { Serial = "PUB_KEY_ID_0000000000000000000000000000000099" },
            "stale" => h with { Timestamp = (long.Parse(h.Timestamp!) - 300).ToString() },
            _ => h,
        });

        var e = Assert.ThrowsAsync<WeChatPayResponseSignatureException>(
            () => Harness.Client.JsapiPrepayAsync(Prepay, CancellationToken.None));

        Assert.That(e!.Verification, Is.EqualTo(expected));
        Assert.That(e.HttpStatus, Is.EqualTo(200));
        Assert.That(Stub.Requests, Has.Count.EqualTo(1), "a bad signature is not a transient failure");
    }

    [Test]
    public void Query_OrderNotExist_ThrowsTypedException()
    {
        Stub.Reply = (_, _) => new StubReply(404, "{\"code\":\"ORDER_NOT_EXIST\",\"message\":\"订单不存在\"}");

        var e = Assert.ThrowsAsync<WeChatPayException>(
            () => Harness.Client.QueryByOutTradeNoAsync("ORDER_404404", CancellationToken.None));

        Assert.That((e!.HttpStatus, e.Code, e.Message, e.RequestId), Is.EqualTo((404, "ORDER_NOT_EXIST", "订单不存在", "REQ-1")));
        Assert.That((e.IsOrderNotExist, e.IsOrderPaid, e.IsTransient), Is.EqualTo((true, false, false)));
    }

    [Test]
    public void Prepay_ParamError_CarriesDetail()
    {
        Stub.Reply = (_, _) => new StubReply(400,
            "{\"code\":\"PARAM_ERROR\",\"message\":\"参数错误\",\"detail\":{\"field\":\"/amount/currency\",\"location\":\"body\"}}");

        var e = Assert.ThrowsAsync<WeChatPayException>(() => Harness.Client.JsapiPrepayAsync(Prepay, CancellationToken.None));

        Assert.That(e!.Code, Is.EqualTo("PARAM_ERROR"));
        Assert.That(e.Detail, Does.Contain("/amount/currency"));
        Assert.That(Stub.Requests, Has.Count.EqualTo(1), "4xx is not retried");
    }

    [Test]
    public void Close_PaidOrder_ThrowsIsOrderPaid()
    {
        Stub.Reply = (_, _) => new StubReply(403, "{\"code\":\"ORDERPAID\",\"message\":\"订单已支付\"}");

        var e = Assert.ThrowsAsync<WeChatPayException>(() => Harness.Client.CloseAsync("ORDER_2026-0001", CancellationToken.None));

        Assert.That(e!.IsOrderPaid, Is.True);
    }

    [TestCase(502, "<html>bad gateway</html>", TestName = "Query_HtmlErrorBody_ThrowsWithStatusOnly")]
    [TestCase(400, "[1,2]", TestName = "Query_ArrayErrorBody_ThrowsWithStatusOnly")]
    [TestCase(400, "{\"code\":42}", TestName = "Query_NumericErrorCode_ThrowsWithStatusOnly")]
    public void Query_OddErrorBody_ThrowsWeChatPayException(int status, string body)
    {
        Stub.Reply = (_, _) => new StubReply(status, body);

        var e = Assert.ThrowsAsync<WeChatPayException>(() => Harness.Client.QueryByOutTradeNoAsync("ORDER_2026-0001", CancellationToken.None));

        Assert.That((e!.HttpStatus, e.Code), Is.EqualTo((status, (string?)null)));
    }

    [Test]
    public void Query_SignedEmpty200_Throws()
    {
        Stub.Reply = (_, _) => new StubReply(200, "");

        var e = Assert.ThrowsAsync<WeChatPayException>(() => Harness.Client.QueryByOutTradeNoAsync("ORDER_2026-0001", CancellationToken.None));

        Assert.That(e!.Message, Does.Contain("empty"));
    }

    [Test]
    public async Task Close_204_VerifiesEmptyBody()
    {
        Stub.Reply = (_, _) => new StubReply(204);

        await Harness.Client.CloseAsync("ORDER_2026-0001", CancellationToken.None);

        Assert.That(Stub.Requests.Single().RawTarget, Is.EqualTo("/v3/pay/transactions/out-trade-no/ORDER_2026-0001/close"));
    }

    [TestCase("ORDER|0001", TestName = "Prepay_OutTradeNoWithPipe_ThrowsBeforeSending")]
    [TestCase("ORD01", TestName = "Prepay_OutTradeNoTooShort_ThrowsBeforeSending")]
    [TestCase("ORDER_0001_ORDER_0001_ORDER_00012", TestName = "Prepay_OutTradeNoTooLong_ThrowsBeforeSending")]
    public void Prepay_InvalidOutTradeNo_Throws(string outTradeNo)
    {
        Assert.ThrowsAsync<ArgumentException>(() => Harness.Client.JsapiPrepayAsync(Prepay with { OutTradeNo = outTradeNo }, CancellationToken.None));
        Assert.That(Stub.Requests, Is.Empty);
    }

    [Test]
    public void Prepay_DescriptionWithEmoji_ThrowsBeforeSending()
    {
        Assert.ThrowsAsync<ArgumentException>(() => Harness.Client.JsapiPrepayAsync(Prepay with { Description = "公仔🎁" }, CancellationToken.None));
        Assert.That(Stub.Requests, Is.Empty);
    }
}
