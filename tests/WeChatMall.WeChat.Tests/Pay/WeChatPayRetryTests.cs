using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.WeChat.Tests.Pay;

// Only idempotent calls are retried; every attempt is signed again; failures without an answer stay typed.
public sealed class WeChatPayRetryTests : PayStubFixture
{
    [Test]
    public async Task Query_FirstAttempt500_RetriedWithFreshSignature()
    {
        Stub.Reply = (_, i) => i == 0
            ? new StubReply(500, "{\"code\":\"SYSTEM_ERROR\",\"message\":\"系统错误\"}")
            : new StubReply(200, "{\"out_trade_no\":\"ORDER_2026-0001\",\"trade_state\":\"SUCCESS\",\"transaction_id\":\"4200000001\",\"amount\":{\"total\":100,\"currency\":\"CNY\"}}");

        var t = await Harness.Client.QueryByOutTradeNoAsync("ORDER_2026-0001", CancellationToken.None);

        Assert.That((t.TradeState, t.TransactionId, t.Amount!.Total), Is.EqualTo(("SUCCESS", "4200000001", 100L)));
        var auths = Stub.Requests.Select(r => r.Headers["Authorization"]).ToList();
        Assert.That(auths, Has.Count.EqualTo(2));
        Assert.That(auths[1], Is.Not.EqualTo(auths[0]), "each attempt carries a new nonce and signature");
        var verifier = new MerchantRequestVerifier(TimeProvider.System);
        Assert.That(Stub.Requests.Select(r => verifier.Verify(r.Headers["Authorization"], r.Method, r.RawTarget, r.Body, Harness.MerchantKey)),
                    Is.All.EqualTo(AuthorizationVerifyResult.Valid));
    }

    [Test]
    public async Task Query_FirstAttemptTimesOut_RetriedAndSucceeds()
    {
        using var harness = new PayClientHarness(Stub, s => s["WeChatPay:AttemptTimeout"] = "00:00:00.300");
        Stub.Reply = (_, i) => new StubReply(200, "{\"out_trade_no\":\"ORDER_2026-0001\",\"trade_state\":\"NOTPAY\"}",
                                              Delay: i == 0 ? TimeSpan.FromSeconds(5) : TimeSpan.Zero);

        var t = await harness.Client.QueryByOutTradeNoAsync("ORDER_2026-0001", CancellationToken.None);

        Assert.That(t.TradeState, Is.EqualTo("NOTPAY"));
        Assert.That(Stub.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public void Query_Always503_GivesUpAfterBoundedRetries()
    {
        Stub.Reply = (_, _) => new StubReply(503, "{\"code\":\"SERVICE_UNAVAILABLE\",\"message\":\"稍后再试\"}");

        var e = Assert.ThrowsAsync<WeChatPayException>(
            () => Harness.Client.QueryByOutTradeNoAsync("ORDER_2026-0001", CancellationToken.None));

        Assert.That((e!.HttpStatus, e.IsTransient), Is.EqualTo((503, true)));
        Assert.That(Stub.Requests, Has.Count.EqualTo(3), "one attempt plus MaxRetryAttempts = 2");
    }

    [Test]
    public void Query_ServerUnreachable_ThrowsTransientWeChatPayException()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var harness = new PayClientHarness(Stub, s => s["WeChatPay:ApiBaseUrl"] = $"http://127.0.0.1:{port}");

        var e = Assert.ThrowsAsync<WeChatPayException>(() => harness.Client.QueryByOutTradeNoAsync("ORDER_2026-0001", CancellationToken.None));

        Assert.That((e!.HttpStatus, e.IsTransient), Is.EqualTo((0, true)));
    }

    [Test]
    public void Query_EveryAttemptTimesOut_ThrowsTransientAfterRetries()
    {
        using var harness = new PayClientHarness(Stub, s => s["WeChatPay:AttemptTimeout"] = "00:00:00.200");
        Stub.Reply = (_, _) => new StubReply(200, "{}", Delay: TimeSpan.FromSeconds(5));

        var e = Assert.ThrowsAsync<WeChatPayException>(() => harness.Client.QueryByOutTradeNoAsync("ORDER_2026-0001", CancellationToken.None));

        Assert.That((e!.HttpStatus, e.IsTransient), Is.EqualTo((0, true)));
        Assert.That(Stub.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public void Query_CallerCancels_ThrowsOperationCanceled()
    {
        Stub.Reply = (_, _) => new StubReply(200, "{}", Delay: TimeSpan.FromSeconds(5));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.That(() => Harness.Client.QueryByOutTradeNoAsync("ORDER_2026-0001", cts.Token),
                    Throws.InstanceOf<OperationCanceledException>());
        Assert.That(Stub.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void Send_NonIdempotentCallWith500_NotRetried()
    {
        Stub.Reply = (_, _) => new StubReply(500, "{\"code\":\"SYSTEM_ERROR\",\"message\":\"系统错误\"}");
        var http = Harness.Services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(WeChatPayClient));
        var transport = new WeChatPayTransport(http, Harness.Services.GetRequiredService<WeChatPayCredentials>().Verifier,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        Assert.ThrowsAsync<WeChatPayException>(() => transport.SendAsync<object>(
            HttpMethod.Post, new Uri(Stub.BaseUrl + "/v3/some/non-idempotent"), new { x = 1 }, idempotent: false, CancellationToken.None));

        Assert.That(Stub.Requests, Has.Count.EqualTo(1));
    }

}
