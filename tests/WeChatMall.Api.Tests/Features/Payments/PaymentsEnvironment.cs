using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Features.Orders;
using WeChatMall.Api.Tests.Features.Catalog;
using WeChatMall.Api.Tests.TestHost;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Api.Tests.Features.Payments;

/// <summary>
/// The sandbox playing WeChat Pay, and an API on Kestrel whose WeChat Pay client uses the sandbox's merchant keys, so
/// the sandbox can post real signed notifications back to /pay/notify. The outbox runs (paid messages, refunds);
/// the reconciliation job does not, so a test sees only what notifications did (reconciliation tests start their own).
/// </summary>
[SetUpFixture]
public sealed class PaymentsEnvironment
{
    public const string PaidTemplateId = "tmpl_order_paid_0001";
    public const long ReferralRewardPoints = 500;
    public static SandboxHost Sandbox { get; private set; } = null!;
    public static ApiFactory Api { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Sandbox = await SandboxHost.StartAsync();
        Api = await ApiFactory.StartAsync(Settings(Sandbox, "http://127.0.0.1:9"), kestrel: true);
        PointNotificationsAt(Api);
    }

    /// <summary>
    /// Pay and refund notifications to this Kestrel instance: the URLs need the port Kestrel picked, and WeChat Pay
    /// options are bound on first use, which is after this.
    /// </summary>
    public static void PointNotificationsAt(ApiFactory api)
    {
        var config = api.Services.GetRequiredService<IConfiguration>();
        config["WeChatPay:NotifyUrl"] = new Uri(api.BaseAddress, "/pay/notify").ToString();
        config["WeChatPay:RefundNotifyUrl"] = new Uri(api.BaseAddress, "/pay/refund-notify").ToString();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await Api.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    /// <summary>Settings of an API instance paying through <paramref name="sandbox"/>; notifications go to <paramref name="apiBase"/>.</summary>
    public static Dictionary<string, string?> Settings(SandboxHost sandbox, string apiBase)
    {
        var s = sandbox.ApiSettings();
        s["WeChatPay:MchId"] = SandboxHost.MchId;
        s["WeChatPay:ApiV3Key"] = SandboxHost.ApiV3Key;
        s["WeChatPay:MerchantSerialNo"] = SandboxHost.MerchantSerial;
        s["WeChatPay:MerchantPrivateKeyPath"] = sandbox.MerchantPrivateKeyPath;
        s["WeChatPay:PlatformPublicKeyId"] = SandboxHost.PlatformKeyId;
        s["WeChatPay:PlatformPublicKeyPath"] = sandbox.PlatformPublicKeyPath;
        s["WeChatPay:NotifyUrl"] = apiBase + "/pay/notify";
        s["WeChatPay:RefundNotifyUrl"] = apiBase + "/pay/refund-notify";
        s["WeChatPay:ApiBaseUrl"] = sandbox.BaseUrl;
        s["WeChatPay:RetryBaseDelay"] = "00:00:00.050";
        s["Outbox:Enabled"] = "true";
        s["Outbox:PollIntervalMs"] = "100";
        s["Jobs:PaymentReconciliation:Enabled"] = "false";
        s["Payments:PaidTemplateId"] = PaidTemplateId;
        s["Loyalty:ReferralRewardPoints"] = ReferralRewardPoints.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return s;
    }
}

public sealed record Shopper(long MemberId, string OpenId, HttpClient Client) : IDisposable
{
    public void Dispose() => Client.Dispose();
}

public sealed record TestOrder(long Id, string OrderNo, long SkuId, int Quantity, long PayableFen);

/// <summary>Shoppers through the real login, products through the admin API, orders through POST /api/orders.</summary>
public static class PayTestData
{
    static ApiFactory Api => PaymentsEnvironment.Api;
    static SandboxHost Sandbox => PaymentsEnvironment.Sandbox;

    public static async Task<Shopper> LoginAsync(ApiFactory? api = null, SandboxHost? sandbox = null)
    {
        api ??= Api;
        sandbox ??= Sandbox;
        var openId = "o_mp_" + Guid.NewGuid().ToString("N")[..20];
        var minted = await sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/codes", new { openId });
        minted.EnsureSuccessStatusCode();
        var code = (await ReadAsync(minted)).GetProperty("code").GetString();
        using var anonymous = api.CreateClient();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { code });
        Assert.That((int)login.StatusCode, Is.EqualTo(200), await login.Content.ReadAsStringAsync());
        var body = await ReadAsync(login);
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        return new Shopper(body.GetProperty("memberId").GetInt64(), openId, client);
    }

    /// <summary>
    /// The shopper accepts the "order paid" notice <paramref name="times"/> times at the pay tap
    /// (<c>wx.requestSubscribeMessage</c>), reported as the shop does: each acceptance is one credit, one paid message.
    /// </summary>
    public static async Task AcceptPaidNoticeAsync(Shopper shopper, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            var r = await shopper.Client.PostAsJsonAsync("/api/me/subscribe-results", new
            {
                requestId = Guid.NewGuid().ToString("N"),
                results = new Dictionary<string, string> { [PaymentsEnvironment.PaidTemplateId] = "accept" },
            });
            Assert.That((int)r.StatusCode, Is.EqualTo(200), await r.Content.ReadAsStringAsync());
        }
    }

    /// <summary>A product on the shelf with one SKU of <paramref name="stock"/> units at <paramref name="priceFen"/>.</summary>
    public static async Task<long> NewSkuAsync(int stock, long priceFen = 4_100, ApiFactory? api = null)
    {
        using var admin = (api ?? Api).CreateAdminClient();
        var category = await CatalogTestData.NewCategoryAsync(admin);
        var product = await CatalogTestData.NewProductAsync(admin,
            CatalogTestData.Product(category, "Longjing 250g 🍵", true, CatalogTestData.Sku("green", "250g", priceFen, stock)));
        return product.GetProperty("skus")[0].GetProperty("id").GetInt64();
    }

    /// <summary>The admin credits points (the shopper needs them before an order can redeem them).</summary>
    public static async Task GivePointsAsync(Shopper shopper, long points, ApiFactory? api = null)
    {
        using var admin = (api ?? Api).CreateAdminClient();
        var r = await admin.PostAsJsonAsync($"/admin/members/{shopper.MemberId}/points", new { delta = points, reason = "test" });
        Assert.That((int)r.StatusCode, Is.EqualTo(200), await r.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Places an order of <paramref name="quantity"/> × the SKU through POST /api/orders (stock and points taken as in
    /// production) and checks it costs <paramref name="payableFen"/>. Without a SKU, one is made at the price that
    /// gives that amount (1 point redeems 1 fen); redeeming needs the points in the balance (<see cref="GivePointsAsync"/>).
    /// </summary>
    public static async Task<TestOrder> NewOrderAsync(Shopper shopper, long payableFen = 12_300, int quantity = 1, long? skuId = null,
        long pointsToUse = 0, ApiFactory? api = null)
    {
        if (skuId is null)
        {
            Assert.That((payableFen + pointsToUse) % quantity, Is.Zero, "the test's amount must divide into a unit price");
            skuId = await NewSkuAsync(stock: quantity + 10, priceFen: (payableFen + pointsToUse) / quantity, api: api);
        }
        var address = await shopper.Client.PostAsJsonAsync("/api/me/addresses", new
        {
            recipient = "张三", phone = "13812345678", province = "浙江省", city = "杭州市", district = "西湖区", detail = "龙井路 1 号",
        });
        Assert.That((int)address.StatusCode, Is.EqualTo(201), await address.Content.ReadAsStringAsync());
        var addressId = (await ReadAsync(address)).GetProperty("id").GetInt64();

        var placed = await shopper.Client.PostAsJsonAsync("/api/orders",
            new { lines = new[] { new { skuId, quantity } }, addressId, pointsToUse });
        Assert.That((int)placed.StatusCode, Is.EqualTo(201), await placed.Content.ReadAsStringAsync());
        var order = await ReadAsync(placed);
        Assert.That(order.GetProperty("payableFen").GetInt64(), Is.EqualTo(payableFen), order.ToString());
        var orderNo = order.GetProperty("orderNo").GetString()!;
        var id = await (api ?? Api).ScalarAsync<long>("SELECT id FROM orders WHERE order_no = @orderNo", new { orderNo });
        return new TestOrder(id, orderNo, skuId.Value, quantity, payableFen);
    }

    /// <summary>
    /// The payment window passes and the orders' expiry job runs (its RunOnceAsync; the running loop is covered by
    /// ShippedBackgroundLoopsTests). Only expires_at is written by hand: the job cancels, returns stock and points, and
    /// queues the close of the WeChat Pay order.
    /// </summary>
    public static async Task ExpireAsync(TestOrder order, ApiFactory? api = null)
    {
        api ??= Api;
        await api.ScalarAsync<int>("UPDATE orders SET expires_at = @past WHERE id = @Id",
            new { order.Id, past = DateTime.UtcNow.AddMinutes(-1) });
        await api.Services.GetRequiredService<OrderJobs>().RunOnceAsync(CancellationToken.None);
        Assert.That(await api.ScalarAsync<string>("SELECT cancel_reason FROM orders WHERE id = @Id", order), Is.EqualTo("unpaid"),
            "the expiry job cancelled the order");
    }

    /// <summary>
    /// WeChat Pay answers HTTP 500 to the close of this order for the next <paramref name="outboxAttempts"/> outbox
    /// attempts (each attempt is the client's call plus its retries); the outbox tries again 2 s, then 4 s later.
    /// </summary>
    public static async Task CloseFailsAsync(string orderNo, int outboxAttempts = 1, ApiFactory? api = null, SandboxHost? sandbox = null)
    {
        var callsPerAttempt = 1 + (api ?? Api).Services.GetRequiredService<IOptions<WeChatPayOptions>>().Value.MaxRetryAttempts;
        var r = await (sandbox ?? Sandbox).Client.PostAsJsonAsync("/sandbox/faults",
            new { route = $"/v3/pay/transactions/out-trade-no/{orderNo}/close", count = outboxAttempts * callsPerAttempt, httpStatus = 500 });
        r.EnsureSuccessStatusCode();
    }

    public static Task<HttpResponseMessage> PayAsync(Shopper shopper, string orderNo)
        => shopper.Client.PostAsync($"/api/orders/{orderNo}/pay", null);

    /// <summary>The shopper confirms in WeChat: the sandbox marks the transaction paid and posts TRANSACTION.SUCCESS; returns the notification id.</summary>
    public static async Task<string> SandboxPaysAsync(string orderNo, SandboxHost? sandbox = null)
    {
        var paid = await (sandbox ?? Sandbox).Client.PostAsync($"/sandbox/pay/{orderNo}/pay", null);
        Assert.That((int)paid.StatusCode, Is.EqualTo(200), await paid.Content.ReadAsStringAsync());
        return (await ReadAsync(paid)).GetProperty("notificationId").GetString()!;
    }

    /// <summary>The transaction id WeChat Pay (the sandbox) gave the order's payment.</summary>
    public static async Task<string?> SandboxTransactionIdAsync(string orderNo, SandboxHost? sandbox = null)
        => (await (sandbox ?? Sandbox).Client.GetFromJsonAsync<JsonElement>($"/sandbox/pay/orders/{orderNo}")).GetProperty("transactionId").GetString();

    public static Task<string> StatusAsync(string orderNo, ApiFactory? api = null)
        => (api ?? Api).ScalarAsync<string>("SELECT status FROM orders WHERE order_no = @orderNo", new { orderNo });

    public static Task<string> WaitForStatusAsync(string orderNo, string status, int timeoutMs = 15_000)
        => Eventually.MatchAsync(() => StatusAsync(orderNo), s => s == status, timeoutMs);

    /// <summary>The order's money-back state (none, partially_refunded, refunded), apart from its fulfilment status.</summary>
    public static Task<string> RefundStateAsync(string orderNo)
        => Api.ScalarAsync<string>("SELECT refund_state FROM orders WHERE order_no = @orderNo", new { orderNo });

    public static Task<string> WaitForRefundStateAsync(string orderNo, string state, int timeoutMs = 15_000)
        => Eventually.MatchAsync(() => RefundStateAsync(orderNo), s => s == state, timeoutMs);

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
