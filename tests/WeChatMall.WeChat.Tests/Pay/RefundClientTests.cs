using System.Text.Json;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.WeChat.Tests.Pay;

public sealed class RefundClientTests : PayStubFixture
{
    const string RefundJson = """
        {"refund_id":"50000000382019052709732678859","out_refund_no":"R_ORDER_2026-0001","transaction_id":"4200000001",
         "out_trade_no":"ORDER_2026-0001","channel":"ORIGINAL","user_received_account":"招商银行信用卡0403",
         "create_time":"2026-05-20T13:29:35+08:00","status":"PROCESSING","funds_account":"AVAILABLE",
         "amount":{"total":100,"refund":40,"payer_total":100,"payer_refund":40,"settlement_total":100,
                   "settlement_refund":40,"discount_refund":0,"currency":"CNY","from":[]},"promotion_detail":[]}
        """;

    [SetUp]
    public void DefaultReply()
    {
        Stub.Reply = (_, _) => new StubReply(200, RefundJson);
    }

    [Test]
    public async Task CreateRefund_AgainstStub_SendsBodyAndReturnsRefund()
    {
        var refund = await Harness.Client.CreateRefundAsync(
            new RefundRequest("ORDER_2026-0001", "R_ORDER_2026-0001", 40, 100, "商品已售完"), CancellationToken.None);

        Assert.That((refund.Status, refund.RefundId, refund.Amount!.Refund, refund.Amount.PayerRefund),
                    Is.EqualTo(("PROCESSING", "50000000382019052709732678859", 40L, (long?)40)));
        var r = Stub.Requests.Single();
        Assert.That((r.Method, r.RawTarget), Is.EqualTo(("POST", "/v3/refund/domestic/refunds")));
        var body = JsonDocument.Parse(r.Body).RootElement;
        Assert.That(body.GetProperty("out_refund_no").GetString(), Is.EqualTo("R_ORDER_2026-0001"));
        Assert.That(body.GetProperty("notify_url").GetString(), Is.EqualTo("https://mall.example.com/pay/refund-notify"));
        Assert.That(body.GetProperty("amount").GetRawText(), Is.EqualTo("{\"refund\":40,\"total\":100,\"currency\":\"CNY\"}"));
    }

    [Test]
    public async Task QueryRefund_AgainstStub_UsesOutRefundNoPath()
    {
        var refund = await Harness.Client.QueryRefundAsync("R_ORDER_2026-0001", CancellationToken.None);

        Assert.That(refund.UserReceivedAccount, Is.EqualTo("招商银行信用卡0403"));
        Assert.That(Stub.Requests.Single().RawTarget, Is.EqualTo("/v3/refund/domestic/refunds/R_ORDER_2026-0001"));
    }

    [Test]
    public async Task CreateRefund_FirstAttempt502_RetriedWithSameOutRefundNo()
    {
        Stub.Reply = (_, i) => i == 0 ? new StubReply(502, "") : new StubReply(200, RefundJson);

        await Harness.Client.CreateRefundAsync(new RefundRequest("ORDER_2026-0001", "R_ORDER_2026-0001", 40, 100), CancellationToken.None);

        var bodies = Stub.Requests.Select(r => System.Text.Encoding.UTF8.GetString(r.Body)).ToList();
        Assert.That(bodies, Has.Count.EqualTo(2));
        Assert.That(bodies[1], Is.EqualTo(bodies[0]));
    }

    [Test]
    public void CreateRefund_RefundAboveTotal_ThrowsBeforeSending()
    {
        Assert.ThrowsAsync<ArgumentException>(() => Harness.Client.CreateRefundAsync(
            new RefundRequest("ORDER_2026-0001", "R_1", 101, 100), CancellationToken.None));
        Assert.That(Stub.Requests, Is.Empty);
    }
}
