using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Tests.TestHost;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Api.Tests.Sandbox;

/// <summary>
/// Our WeChatPayClient and notification parser against the sandbox playing WeChat Pay: requests are verified, answers
/// are signed, state is kept, and notifications verify and decrypt with the app's real parser.
/// </summary>
public sealed class SandboxPayTests
{
    private SandboxHost sandbox = null!;
    private LocalReceiver receiver = null!;
    private ServiceProvider services = null!;
    private WeChatPayClient Client => services.GetRequiredService<WeChatPayClient>();
    private WeChatPayNotificationParser Parser => services.GetRequiredService<WeChatPayNotificationParser>();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        sandbox = await SandboxHost.StartAsync();
        receiver = await LocalReceiver.StartAsync(_ => Task.FromResult((200, "")));
        services = SandboxClients.Pay(sandbox, receiver.Url);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await services.DisposeAsync();
        await receiver.DisposeAsync();
        await sandbox.DisposeAsync();
    }

    private static string NewTradeNo() => "T" + Guid.NewGuid().ToString("N")[..20];

    [Test]
    public async Task PrepayQueryClose_FollowTheOrderState()
    {
        var no = NewTradeNo();
        var prepayId = await Client.JsapiPrepayAsync(new JsapiPrepayRequest(no, "Green tea 250g", 3900, "o_mp_buyer"), CancellationToken.None);
        var again = await Client.JsapiPrepayAsync(new JsapiPrepayRequest(no, "Green tea 250g", 3900, "o_mp_buyer"), CancellationToken.None);
        var before = await Client.QueryByOutTradeNoAsync(no, CancellationToken.None);
        await Client.CloseAsync(no, CancellationToken.None);
        var after = await Client.QueryByOutTradeNoAsync(no, CancellationToken.None);
        var otherAmount = Assert.ThrowsAsync<WeChatPayException>(() =>
            Client.JsapiPrepayAsync(new JsapiPrepayRequest(no, "Green tea 250g", 1, "o_mp_buyer"), CancellationToken.None));
        var missing = Assert.ThrowsAsync<WeChatPayException>(() => Client.QueryByOutTradeNoAsync(NewTradeNo(), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(prepayId, Does.StartWith("wx"));
            Assert.That(again, Is.EqualTo(prepayId));
            Assert.That(before.TradeState, Is.EqualTo("NOTPAY"));
            Assert.That(before.Amount!.Total, Is.EqualTo(3900));
            Assert.That(after.TradeState, Is.EqualTo("CLOSED"));
            Assert.That(otherAmount!.Code, Is.EqualTo("ORDER_CLOSED"));
            Assert.That(missing!.IsOrderNotExist, Is.True);
        });
    }

    [Test]
    public async Task UserPays_TransactionSucceeds_AndTheNotificationVerifiesAndDecryptsWithTheAppsParser()
    {
        var no = NewTradeNo();
        await Client.JsapiPrepayAsync(new JsapiPrepayRequest(no, "Oolong", 1200, "o_mp_payer", Attach: "order:7"), CancellationToken.None);

        var paid = await sandbox.Client.PostAsync($"/sandbox/pay/{no}/pay", null);
        var notification = await WaitForNotificationAsync(no);
        var parsed = Parser.ParseTransaction(Headers(notification), notification.Body);
        var queried = await Client.QueryByOutTradeNoAsync(no, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(paid.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(parsed.Status, Is.EqualTo(NotificationParseStatus.Ok), parsed.Signature.ToString());
            Assert.That(parsed.Notification!.EventType, Is.EqualTo("TRANSACTION.SUCCESS"));
            Assert.That(parsed.Resource!.OutTradeNo, Is.EqualTo(no));
            Assert.That(parsed.Resource.MchId, Is.EqualTo(SandboxHost.MchId));
            Assert.That(parsed.Resource.AppId, Is.EqualTo(SandboxHost.MiniProgramAppId));
            Assert.That(parsed.Resource.Amount!.Total, Is.EqualTo(1200));
            Assert.That(parsed.Resource.Attach, Is.EqualTo("order:7"));
            Assert.That(queried.TradeState, Is.EqualTo("SUCCESS"));
            Assert.That(queried.TransactionId, Is.EqualTo(parsed.Resource.TransactionId));
        });
    }

    [Test]
    public async Task Redeliver_SendsTheSameNotificationAgain_AndAProbeFailsVerification()
    {
        var no = NewTradeNo();
        await Client.JsapiPrepayAsync(new JsapiPrepayRequest(no, "Pu-erh", 500, "o_mp_payer"), CancellationToken.None);
        var paid = await (await sandbox.Client.PostAsync($"/sandbox/pay/{no}/pay", null)).Content.ReadFromJsonAsync<JsonElement>();
        var id = paid.GetProperty("notificationId").GetString();
        var first = await WaitForNotificationAsync(no);

        var redelivered = await sandbox.Client.PostAsync($"/sandbox/pay/notifications/{id}/redeliver?times=2", null);
        var probe = await sandbox.Client.PostAsync($"/sandbox/pay/notifications/{id}/redeliver?probe=true", null);
        var all = receiver.Requests.Where(r => r.Body.SequenceEqual(first.Body)).ToList();

        Assert.Multiple(async () =>
        {
            Assert.That(redelivered.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(probe.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(all, Has.Count.EqualTo(4));
            Assert.That(all.Take(3).Select(r => Parser.ParseTransaction(Headers(r), r.Body).Status), Is.All.EqualTo(NotificationParseStatus.Ok));
            Assert.That(Parser.ParseTransaction(Headers(all[3]), all[3].Body).Signature, Is.EqualTo(SignatureVerifyResult.SignatureProbe));
            var view = await sandbox.Client.GetFromJsonAsync<JsonElement>($"/sandbox/pay/notifications/{id}");
            Assert.That(view.GetProperty("attempts").GetArrayLength(), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task Refund_IsCreatedOnce_QueriedAsSuccess_AndNotified()
    {
        var no = NewTradeNo();
        await Client.JsapiPrepayAsync(new JsapiPrepayRequest(no, "Jasmine", 2000, "o_mp_payer"), CancellationToken.None);
        await sandbox.Client.PostAsync($"/sandbox/pay/{no}/pay", null);
        var refundNo = "R" + no;

        var created = await Client.CreateRefundAsync(new RefundRequest(no, refundNo, 800, 2000, "damaged"), CancellationToken.None);
        var retried = await Client.CreateRefundAsync(new RefundRequest(no, refundNo, 800, 2000, "damaged"), CancellationToken.None);
        var queried = await Client.QueryRefundAsync(refundNo, CancellationToken.None);
        var tooMuch = Assert.ThrowsAsync<WeChatPayException>(() =>
            Client.CreateRefundAsync(new RefundRequest(no, refundNo + "b", 1300, 2000), CancellationToken.None));
        var notification = await WaitForNotificationAsync(no, "REFUND.SUCCESS");
        var parsed = Parser.ParseRefund(Headers(notification), notification.Body);

        Assert.Multiple(() =>
        {
            Assert.That(created.Status, Is.EqualTo("PROCESSING"));
            Assert.That(retried.RefundId, Is.EqualTo(created.RefundId));
            Assert.That(queried.Status, Is.EqualTo("SUCCESS"));
            Assert.That(queried.Amount!.Refund, Is.EqualTo(800));
            Assert.That(tooMuch!.Code, Is.EqualTo("INVALID_REQUEST"));
            Assert.That(parsed.Status, Is.EqualTo(NotificationParseStatus.Ok));
            Assert.That(parsed.Resource!.RefundStatus, Is.EqualTo("SUCCESS"));
            Assert.That(parsed.Resource.OutRefundNo, Is.EqualTo(refundNo));
        });
    }

    [Test]
    public async Task RequestSignedWithTheWrongMerchantKey_Gets401SignError()
    {
        var dir = Directory.CreateTempSubdirectory("wcm-wrong-key").FullName;
        var keyPath = Path.Combine(dir, "wrong.pem");
        using (var wrong = RSA.Create(2048)) await File.WriteAllTextAsync(keyPath, wrong.ExportPkcs8PrivateKeyPem());
        await using var wrongServices = SandboxClients.Pay(sandbox, receiver.Url, merchantPrivateKeyPath: keyPath);

        var ex = Assert.ThrowsAsync<WeChatPayException>(() => wrongServices.GetRequiredService<WeChatPayClient>()
            .JsapiPrepayAsync(new JsapiPrepayRequest(NewTradeNo(), "Tea", 100, "o_mp_payer"), CancellationToken.None));
        Directory.Delete(dir, recursive: true);

        Assert.Multiple(() =>
        {
            Assert.That(ex!.HttpStatus, Is.EqualTo(401));
            Assert.That(ex.Code, Is.EqualTo("SIGN_ERROR"));
            Assert.That(ex.IsSignError, Is.True);
        });
    }

    [Test]
    public async Task NotificationAnsweredWith500_IsRetriedOnTheScaledSchedule_UntilAcknowledged()
    {
        await using var flaky = await LocalReceiver.StartAsync(n => Task.FromResult(n == 0 ? (500, "{\"code\":\"FAIL\"}") : (200, "")));
        await using var flakyServices = SandboxClients.Pay(sandbox, flaky.Url);
        var no = NewTradeNo();
        await flakyServices.GetRequiredService<WeChatPayClient>()
            .JsapiPrepayAsync(new JsapiPrepayRequest(no, "Longjing", 900, "o_mp_payer"), CancellationToken.None);

        var paid = await (await sandbox.Client.PostAsync($"/sandbox/pay/{no}/pay", null)).Content.ReadFromJsonAsync<JsonElement>();
        JsonElement view = default;
        for (var i = 0; i < 100; i++)
        {
            view = await sandbox.Client.GetFromJsonAsync<JsonElement>($"/sandbox/pay/notifications/{paid.GetProperty("notificationId").GetString()}");
            if (view.GetProperty("acknowledged").GetBoolean()) break;
            await Task.Delay(50);
        }

        Assert.Multiple(() =>
        {
            Assert.That(view.GetProperty("acknowledged").GetBoolean(), Is.True);
            Assert.That(view.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("status").GetInt32()), Is.EqualTo(new[] { 500, 200 }));
            Assert.That(flaky.Requests.Select(r => Convert.ToBase64String(r.Body)).Distinct().Count(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Http500OnPrepay_IsRetriedByTheClient_WithAFreshSignature()
    {
        await sandbox.Client.PostAsJsonAsync("/sandbox/faults", new { route = "/v3/pay/transactions/jsapi", count = 1, httpStatus = 500 });

        var prepayId = await Client.JsapiPrepayAsync(new JsapiPrepayRequest(NewTradeNo(), "Tea", 100, "o_mp_payer"), CancellationToken.None);

        var calls = await sandbox.Client.GetFromJsonAsync<JsonElement[]>("/sandbox/calls?route=/v3/pay/transactions/jsapi");
        Assert.Multiple(() =>
        {
            Assert.That(prepayId, Does.StartWith("wx"));
            Assert.That(calls!.TakeLast(2).Select(c => c.GetProperty("status").GetInt32()), Is.EqualTo(new[] { 500, 200 }));
        });
    }

    private async Task<LocalReceiver.Received> WaitForNotificationAsync(string outTradeNo, string eventType = "TRANSACTION.SUCCESS")
    {
        for (var i = 0; i < 100; i++)
        {
            foreach (var r in receiver.Requests)
            {
                var parsed = Parser.ParsePlaintext(Headers(r), r.Body);
                if (parsed.IsOk && parsed.Notification!.EventType == eventType && parsed.Resource!.Contains(outTradeNo)) return r;
            }
            await Task.Delay(50);
        }
        throw new AssertionException($"No {eventType} notification for {outTradeNo} arrived.");
    }

    private static WeChatPayHeaders Headers(LocalReceiver.Received r) => WeChatPayHeaders.From(name => r.Headers.GetValueOrDefault(name));
}
