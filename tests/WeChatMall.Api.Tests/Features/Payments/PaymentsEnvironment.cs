using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using WeChatMall.Api.Tests.TestHost;

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
        // The notify URLs need the port Kestrel picked; WeChat Pay options are bound on first use, which is after this.
        var config = Api.Services.GetRequiredService<IConfiguration>();
        config["WeChatPay:NotifyUrl"] = new Uri(Api.BaseAddress, "/pay/notify").ToString();
        config["WeChatPay:RefundNotifyUrl"] = new Uri(Api.BaseAddress, "/pay/refund-notify").ToString();
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

/// <summary>Shoppers through the real login, and orders written with SQL in the V7 shape until POST /api/orders lands.</summary>
public static class PayTestData
{
    static ApiFactory Api => PaymentsEnvironment.Api;
    static SandboxHost Sandbox => PaymentsEnvironment.Sandbox;

    public static async Task<Shopper> LoginAsync(ApiFactory? api = null)
    {
        api ??= Api;
        var openId = "o_mp_" + Guid.NewGuid().ToString("N")[..20];
        var minted = await Sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/codes", new { openId });
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

    /// <summary>A product with one SKU holding <paramref name="stock"/> (what is left after the order took its share).</summary>
    public static async Task<long> NewSkuAsync(int stock)
    {
        await using var c = new MySqlConnection(TestServers.MySqlFor(Api.Database));
        var now = DateTime.UtcNow;
        var category = await c.ExecuteScalarAsync<long>(
            "INSERT INTO catalog_categories (name, created_at, updated_at) VALUES ('Tea', @now, @now); SELECT LAST_INSERT_ID();", new { now });
        var product = await c.ExecuteScalarAsync<long>("""
            INSERT INTO catalog_products (category_id, title, images, on_shelf, created_at, updated_at)
            VALUES (@category, 'Longjing 250g', '[]', 1, @now, @now); SELECT LAST_INSERT_ID();
            """, new { category, now });
        return await c.ExecuteScalarAsync<long>("""
            INSERT INTO catalog_skus (product_id, spec, spec_key, price_fen, stock, created_at, updated_at)
            VALUES (@product, '[]', @key, 4100, @stock, @now, @now); SELECT LAST_INSERT_ID();
            """, new { product, key = Guid.NewGuid().ToString("N"), stock, now });
    }

    /// <summary>A pending_payment order of <paramref name="quantity"/> × the SKU for <paramref name="payableFen"/>, as POST /api/orders would leave it.</summary>
    public static async Task<TestOrder> NewOrderAsync(long memberId, long payableFen = 12_300, int quantity = 3, long? skuId = null,
        long pointsUsed = 0, TimeSpan? expiresIn = null)
    {
        skuId ??= await NewSkuAsync(stock: 10);
        var orderNo = "P" + DateTime.UtcNow.ToString("yyMMddHHmmss") + Guid.NewGuid().ToString("N")[..12];
        await using var c = new MySqlConnection(TestServers.MySqlFor(Api.Database));
        var now = DateTime.UtcNow;
        var productId = await c.ExecuteScalarAsync<long>("SELECT product_id FROM catalog_skus WHERE id = @skuId", new { skuId });
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO orders (order_no, member_id, status, goods_fen, points_used, payable_fen, expires_at, created_at, updated_at)
            VALUES (@orderNo, @memberId, 'pending_payment', @payableFen, @pointsUsed, @payableFen, @expires, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { orderNo, memberId, payableFen, pointsUsed, expires = now + (expiresIn ?? TimeSpan.FromMinutes(15)), now });
        await c.ExecuteAsync("""
            INSERT INTO order_lines (order_id, sku_id, product_id, title, spec, unit_price_fen, quantity, paid_fen)
            VALUES (@id, @skuId, @productId, 'Longjing 250g 🍵', '[]', @unit, @quantity, @payableFen)
            """, new { id, skuId, productId, unit = payableFen / quantity, quantity, payableFen });
        return new TestOrder(id, orderNo, skuId.Value, quantity, payableFen);
    }

    /// <summary>What the orders' expiry job does: cancelled, stock given back.</summary>
    public static async Task ExpireAsync(TestOrder order)
    {
        await using var c = new MySqlConnection(TestServers.MySqlFor(Api.Database));
        await c.ExecuteAsync("UPDATE orders SET status = 'cancelled', cancelled_at = UTC_TIMESTAMP(3), cancel_reason = 'expired' WHERE id = @Id", order);
        await c.ExecuteAsync("UPDATE catalog_skus SET stock = stock + @Quantity WHERE id = @SkuId", order);
    }

    public static Task<HttpResponseMessage> PayAsync(Shopper shopper, string orderNo)
        => shopper.Client.PostAsync($"/api/orders/{orderNo}/pay", null);

    /// <summary>The shopper confirms in WeChat: the sandbox marks the transaction paid and posts TRANSACTION.SUCCESS; returns the notification id.</summary>
    public static async Task<string> SandboxPaysAsync(string orderNo)
    {
        var paid = await Sandbox.Client.PostAsync($"/sandbox/pay/{orderNo}/pay", null);
        Assert.That((int)paid.StatusCode, Is.EqualTo(200), await paid.Content.ReadAsStringAsync());
        return (await ReadAsync(paid)).GetProperty("notificationId").GetString()!;
    }

    public static Task<string> StatusAsync(string orderNo, ApiFactory? api = null)
        => (api ?? Api).ScalarAsync<string>("SELECT status FROM orders WHERE order_no = @orderNo", new { orderNo });

    public static Task<string> WaitForStatusAsync(string orderNo, string status, int timeoutMs = 15_000)
        => Eventually.MatchAsync(() => StatusAsync(orderNo), s => s == status, timeoutMs);

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
