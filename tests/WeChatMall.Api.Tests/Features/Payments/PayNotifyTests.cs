using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;
using WeChatMall.WeChat.Pay;
using static WeChatMall.Api.Tests.Features.Payments.PayTestData;

namespace WeChatMall.Api.Tests.Features.Payments;

public sealed class PayNotifyTests
{
    static ApiFactory Api => PaymentsEnvironment.Api;
    static SandboxHost Sandbox => PaymentsEnvironment.Sandbox;

    [Test]
    public async Task Pay_ThenSandboxNotifies_OrderPaidPointsCreditedAndMessageSent()
    {
        using var shopper = await LoginAsync();
        await AcceptPaidNoticeAsync(shopper);
        var order = await NewOrderAsync(shopper, payableFen: 12_345);

        var pay = await PayAsync(shopper, order.OrderNo);
        var p = await ReadAsync(pay);
        await SandboxPaysAsync(order.OrderNo);
        var status = await WaitForStatusAsync(order.OrderNo, "paid");
        var messages = await Eventually.MatchAsync(
            () => Sandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/messages?openid={shopper.OpenId}"), m => m!.Length > 0);

        var row = await Api.RowAsync("SELECT prepay_id, payer_openid, transaction_id, paid_at, points_earned FROM orders WHERE id = @Id", order);
        var sandboxOrder = await Sandbox.Client.GetFromJsonAsync<JsonElement>($"/sandbox/pay/orders/{order.OrderNo}");
        Assert.Multiple(async () =>
        {
            Assert.That(pay.StatusCode, Is.EqualTo(HttpStatusCode.OK), p.ToString());
            Assert.That(p.GetProperty("package").GetString(), Is.EqualTo("prepay_id=" + (string)row!.prepay_id));
            Assert.That(p.GetProperty("signType").GetString(), Is.EqualTo("RSA"));
            Assert.That(p.GetProperty("paySign").GetString(), Is.Not.Empty);
            Assert.That(VerifyPaySign(p), Is.True, "paySign verifies with the merchant public key");
            Assert.That((string)row.payer_openid, Is.EqualTo(shopper.OpenId));
            Assert.That(status, Is.EqualTo("paid"));
            Assert.That((string)row.transaction_id, Is.EqualTo(sandboxOrder.GetProperty("transactionId").GetString()));
            Assert.That((long)row.points_earned, Is.EqualTo(123), "BasicLoyalty: 1 point per yuan");
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", shopper), Is.EqualTo(123));
            Assert.That(messages!, Has.Length.EqualTo(1));
            Assert.That(messages![0].GetRawText(), Does.Contain(order.OrderNo));
            Assert.That(sandboxOrder.GetProperty("total").GetInt64(), Is.EqualTo(12_345));
            Assert.That(sandboxOrder.GetProperty("payerOpenId").GetString(), Is.EqualTo(shopper.OpenId));
            Assert.That(sandboxOrder.GetProperty("description").GetString(), Is.EqualTo("Longjing 250g"), "emoji removed");
            var expires = DateTime.SpecifyKind((DateTime)(await Api.RowAsync("SELECT expires_at FROM orders WHERE id = @Id", order))!.expires_at, DateTimeKind.Utc);
            Assert.That(sandboxOrder.GetProperty("timeExpire").GetDateTimeOffset().UtcDateTime, Is.EqualTo(expires).Within(TimeSpan.FromSeconds(1)));
            Assert.That(await Api.ScalarAsync<string>(
                "SELECT outcome FROM pay_notifications WHERE out_trade_no = @OrderNo", order), Is.EqualTo("applied"));
        });
    }

    [Test]
    public async Task FirstDeliveries_FiveOfTheSameNotificationAtOnce_ExactlyOneAppliesTheOthersAreDuplicates()
    {
        using var shopper = await LoginAsync();
        await AcceptPaidNoticeAsync(shopper, times: 2);
        var order = await NewOrderAsync(shopper, payableFen: 5_000);
        // WeChat Pay's deliveries of the notification are held (503, so it retries on its schedule): five genuine
        // deliveries, each signed at its own send time, none of which has reached the API yet.
        await using var held = await LocalReceiver.StartAsync(_ => Task.FromResult((503, "held")));
        await PrepayNotifyingAsync(shopper, order.OrderNo, held.Url);
        await SandboxPaysAsync(order.OrderNo);
        await Eventually.MatchAsync(() => Task.FromResult(held.Requests.Count), n => n >= 5);
        var deliveries = held.Requests.Take(5).ToArray();
        var statusBefore = await StatusAsync(order.OrderNo);

        using var client = Api.CreateClient();
        var requests = deliveries.Select(d =>
        {
            var r = new HttpRequestMessage(HttpMethod.Post, "/pay/notify") { Content = new ByteArrayContent(d.Body) };
            r.Content.Headers.ContentType = new("application/json");
            foreach (var (name, value) in d.Headers.Where(h => h.Key.StartsWith("Wechatpay-", StringComparison.OrdinalIgnoreCase)))
                r.Headers.TryAddWithoutValidation(name, value);
            return r;
        }).ToArray();
        var answers = await Task.WhenAll(requests.Select(r => client.SendAsync(r)));
        var messages = await Eventually.MatchAsync(
            () => Sandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/messages?openid={shopper.OpenId}"), m => m!.Length > 0);
        await Task.Delay(500); // let the outbox worker run, had anything been queued twice

        Assert.Multiple(async () =>
        {
            Assert.That(deliveries, Has.Length.EqualTo(5));
            Assert.That(statusBefore, Is.EqualTo("pending_payment"), "no delivery had reached the API before the race");
            Assert.That(answers.Select(a => (int)a.StatusCode), Is.EqualTo(new[] { 204, 204, 204, 204, 204 }));
            var outcomes = await Api.QueryAsync<string>("SELECT outcome FROM pay_notifications WHERE out_trade_no = @OrderNo ORDER BY outcome", order);
            Assert.That(outcomes, Is.EqualTo(new[] { "applied", "duplicate", "duplicate", "duplicate", "duplicate" }));
            Assert.That(await StatusAsync(order.OrderNo), Is.EqualTo("paid"));
            Assert.That(await Api.QueryAsync<string>("SELECT to_status FROM order_events WHERE order_id = @Id ORDER BY id", order),
                Is.EqualTo(new[] { "pending_payment", "paid" }), "placed, then paid once");
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM points_ledger WHERE reference = @OrderNo", order), Is.EqualTo(1));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", shopper), Is.EqualTo(50));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE idempotency_key = @key",
                new { key = "pay.paid_message:" + order.OrderNo }), Is.EqualTo(1));
            Assert.That(messages!, Has.Length.EqualTo(1));
            Assert.That((await Sandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/messages?openid={shopper.OpenId}"))!, Has.Length.EqualTo(1));
        });
    }

    // The prepay is taken on an instance whose notify_url is notifyUrl (the held receiver), then that instance stops.
    static async Task PrepayNotifyingAsync(Shopper shopper, string orderNo, string notifyUrl)
    {
        var settings = PaymentsEnvironment.Settings(Sandbox, "http://127.0.0.1:9");
        settings["WeChatPay:NotifyUrl"] = notifyUrl;
        var prepaying = Api.StartSibling(settings);
        try
        {
            using var client = prepaying.CreateClient();
            client.DefaultRequestHeaders.Authorization = shopper.Client.DefaultRequestHeaders.Authorization;
            var pay = await client.PostAsync($"/api/orders/{orderNo}/pay", null);
            Assert.That((int)pay.StatusCode, Is.EqualTo(200), await pay.Content.ReadAsStringAsync());
        }
        finally
        {
            await prepaying.DisposeAsync();
        }
    }

    [Test]
    public async Task ForgedNotifications_AreRefused_AndTheOrderIsUnchanged()
    {
        using var shopper = await LoginAsync();
        var order = await NewOrderAsync(shopper, payableFen: 7_700);
        (await PayAsync(shopper, order.OrderNo)).EnsureSuccessStatusCode();
        var resource = Resource(order.OrderNo, 7_700);

        using var otherKey = RSA.Create(2048);
        var badSignature = await PostAsync(Build(resource, signingKey: otherKey));
        var stale = await PostAsync(Build(resource, time: new FixedTime(DateTimeOffset.UtcNow.AddMinutes(-10))));
        var wrongAmount = await PostAsync(Build(Resource(order.OrderNo, 1)));
        var wrongMchId = await PostAsync(Build(Resource(order.OrderNo, 7_700, mchId: "1999999999")));
        var unknown = await PostAsync(Build(Resource("NOSUCHORDER" + Guid.NewGuid().ToString("N")[..10], 7_700)));
        var tampered = await PostAsync(TamperCiphertext(Build(resource)));

        Assert.Multiple(async () =>
        {
            Assert.That((int)badSignature.StatusCode, Is.EqualTo(401));
            Assert.That((int)stale.StatusCode, Is.EqualTo(401));
            Assert.That((int)wrongAmount.StatusCode, Is.EqualTo(422));
            Assert.That((int)wrongMchId.StatusCode, Is.EqualTo(422));
            Assert.That((int)unknown.StatusCode, Is.EqualTo(404));
            Assert.That((int)tampered.StatusCode, Is.EqualTo(400));
            Assert.That((await ReadAsync(wrongAmount)).GetProperty("code").GetString(), Is.EqualTo("FAIL"));
            Assert.That(await StatusAsync(order.OrderNo), Is.EqualTo("pending_payment"));
            Assert.That(await Api.QueryAsync<string>("SELECT to_status FROM order_events WHERE order_id = @Id ORDER BY id", order),
                Is.EqualTo(new[] { "pending_payment" }), "placed, nothing since");
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", shopper), Is.Zero);
            Assert.That(await Api.QueryAsync<string>("SELECT outcome FROM pay_notifications WHERE out_trade_no = @OrderNo ORDER BY id", order),
                Is.EqualTo(new[] { "mismatch", "mismatch" }), "verified but wrong notifications are recorded; unverified ones are not");
        });
    }

    [Test]
    public async Task MalformedUnsignedOrOversizedNotifications_AreRefused_AndNothingIsRecorded()
    {
        using var shopper = await LoginAsync();
        var order = await NewOrderAsync(shopper, payableFen: 4_400);
        (await PayAsync(shopper, order.OrderNo)).EnsureSuccessStatusCode();
        var genuine = Build(Resource(order.OrderNo, 4_400));

        var notJson = await PostAsync(SignRaw("{\"id\": \"" + order.OrderNo));
        var noResource = await PostAsync(SignRaw($$"""{"id":"{{Guid.NewGuid()}}","event_type":"TRANSACTION.SUCCESS","resource_type":"encrypt-resource"}"""));
        var unsigned = await PostAsync(genuine with { Headers = new WeChatPayHeaders(null, null, null, null) });
        var oversized = await PostAsync(SignRaw(genuine.Body + new string(' ', 70_000))); // above Payments:MaxNotificationBytes (65,536)
        var refundNotJson = await PostAsync(SignRaw("[]"), "/pay/refund-notify");

        Assert.Multiple(async () =>
        {
            Assert.That((int)notJson.StatusCode, Is.EqualTo(400));
            Assert.That((int)noResource.StatusCode, Is.EqualTo(400));
            Assert.That((int)unsigned.StatusCode, Is.EqualTo(401));
            Assert.That((int)oversized.StatusCode, Is.EqualTo(413));
            Assert.That((int)refundNotJson.StatusCode, Is.EqualTo(400));
            Assert.That((await ReadAsync(notJson)).GetProperty("code").GetString(), Is.EqualTo("FAIL"));
            Assert.That(await StatusAsync(order.OrderNo), Is.EqualTo("pending_payment"));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM pay_notifications WHERE out_trade_no = @OrderNo", order), Is.Zero);
        });
    }

    [Test]
    public async Task Notify_OnAnApiWithoutWeChatPay_Answers503()
    {
        using var client = TestEnvironment.Api.CreateClient();
        var response = await client.PostAsync("/pay/notify", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.That((int)response.StatusCode, Is.EqualTo(503));
    }

    [Test]
    public async Task RefundNotify_WithBadSignature_Is401_AndForAnUnknownRefund_Is404()
    {
        using var otherKey = RSA.Create(2048);
        var refund = new
        {
            mchid = SandboxHost.MchId, out_trade_no = "NOORDER0001", out_refund_no = "NOORDER0001-R1", refund_id = "5030000",
            refund_status = "SUCCESS", amount = new { total = 100, refund = 100, payer_total = 100, payer_refund = 100 }
        };

        var forged = await PostAsync(BuildRefund(refund, otherKey), "/pay/refund-notify");
        var unknown = await PostAsync(BuildRefund(refund, null), "/pay/refund-notify");

        Assert.Multiple(async () =>
        {
            Assert.That((int)forged.StatusCode, Is.EqualTo(401));
            Assert.That((int)unknown.StatusCode, Is.EqualTo(404));
            Assert.That(await Api.ScalarAsync<string>("SELECT outcome FROM pay_notifications WHERE out_refund_no = 'NOORDER0001-R1'"),
                Is.EqualTo("unknown_order"));
        });
    }

    [Test]
    public async Task Pay_OnAnInstanceWithoutWeChatPayKeys_Is503PayNotConfigured()
    {
        var settings = PaymentsEnvironment.Settings(Sandbox, "http://127.0.0.1:9");
        settings["WeChatPay:ApiV3Key"] = "";
        var unconfigured = Api.StartSibling(settings);
        try
        {
            using var shopper = await LoginAsync(unconfigured);
            var order = await NewOrderAsync(shopper);

            var response = await PayAsync(shopper, order.OrderNo);

            Assert.Multiple(async () =>
            {
                Assert.That((int)response.StatusCode, Is.EqualTo(503));
                Assert.That((await ReadAsync(response)).GetProperty("code").GetString(), Is.EqualTo("PAY_NOT_CONFIGURED"));
                Assert.That(await Api.ScalarAsync<string?>("SELECT prepay_id FROM orders WHERE id = @Id", order), Is.Null);
            });
        }
        finally
        {
            await unconfigured.DisposeAsync();
        }
    }

    static SignedNotification BuildRefund(object resource, RSA? signingKey)
    {
        using var platform = RSA.Create();
        platform.ImportFromPem(File.ReadAllText(Path.Combine(Path.GetDirectoryName(Sandbox.PlatformPublicKeyPath)!, "platform.key.pem")));
        var signer = new WeChatPayResponseSigner(signingKey ?? platform, SandboxHost.PlatformKeyId, TimeProvider.System);
        return new NotificationBuilder(signer, SandboxHost.ApiV3Key, TimeProvider.System).Build("REFUND.SUCCESS", "refund", "退款成功", resource);
    }

    static bool VerifyPaySign(JsonElement p)
    {
        var pub = File.ReadAllText(Path.Combine(Path.GetDirectoryName(Sandbox.MerchantPrivateKeyPath)!, "merchant.pub.pem"));
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pub);
        var message = WeChatPaySignature.PaySignMessage(SandboxHost.MiniProgramAppId, p.GetProperty("timeStamp").GetString()!,
            p.GetProperty("nonceStr").GetString()!, p.GetProperty("package").GetString()!);
        return rsa.VerifyData(message, Convert.FromBase64String(p.GetProperty("paySign").GetString()!),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    internal static Transaction Resource(string outTradeNo, long total, string mchId = SandboxHost.MchId) => new()
    {
        AppId = SandboxHost.MiniProgramAppId, MchId = mchId, OutTradeNo = outTradeNo,
        TransactionId = "42000" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999), TradeType = "JSAPI", TradeState = "SUCCESS",
        SuccessTime = DateTimeOffset.UtcNow, Payer = new TransactionPayer("o_forged"),
        Amount = new TransactionAmount { Total = total, PayerTotal = total, Currency = "CNY", PayerCurrency = "CNY" },
    };

    internal static SignedNotification Build(Transaction resource, RSA? signingKey = null, TimeProvider? time = null)
    {
        using var platform = RSA.Create();
        platform.ImportFromPem(File.ReadAllText(Path.Combine(Path.GetDirectoryName(Sandbox.PlatformPublicKeyPath)!, "platform.key.pem")));
        var signer = new WeChatPayResponseSigner(signingKey ?? platform, SandboxHost.PlatformKeyId, time ?? TimeProvider.System);
        return new NotificationBuilder(signer, SandboxHost.ApiV3Key, time ?? TimeProvider.System)
            .Build("TRANSACTION.SUCCESS", "transaction", "支付成功", resource);
    }

    // Changes one character of the ciphertext and signs the result validly: only AES-GCM's tag can catch it.
    static SignedNotification TamperCiphertext(SignedNotification n)
    {
        var doc = JsonDocument.Parse(n.Body).RootElement;
        var ciphertext = doc.GetProperty("resource").GetProperty("ciphertext").GetString()!;
        var flipped = (ciphertext[5] == 'A' ? 'B' : 'A') + "";
        return SignRaw(n.Body.Replace(ciphertext, ciphertext[..5] + flipped + ciphertext[6..]));
    }

    // Any body, validly signed with the sandbox's platform key: what passes the signature check must be caught after it.
    static SignedNotification SignRaw(string body)
    {
        using var platform = RSA.Create();
        platform.ImportFromPem(File.ReadAllText(Path.Combine(Path.GetDirectoryName(Sandbox.PlatformPublicKeyPath)!, "platform.key.pem")));
        var headers = new WeChatPayResponseSigner(platform, SandboxHost.PlatformKeyId, TimeProvider.System).Sign(Encoding.UTF8.GetBytes(body));
        return new SignedNotification(body, headers);
    }

    internal static async Task<HttpResponseMessage> PostAsync(SignedNotification n, string path = "/pay/notify")
    {
        using var client = Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(n.Body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in n.Headers.ToPairs()) request.Headers.TryAddWithoutValidation(name, value);
        return await client.SendAsync(request);
    }

    sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
