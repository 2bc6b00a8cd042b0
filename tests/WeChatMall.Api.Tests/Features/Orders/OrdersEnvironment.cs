using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.Features.Catalog;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Orders;

/// <summary>
/// The sandbox playing WeChat and one API instance for every orders test. Jobs and the outbox sender are switched off
/// so tests run them on purpose (OrderJobs.RunOnceAsync, OutboxWorker.RunOnceAsync). Shipping costs 800 fen below 10000.
/// </summary>
[SetUpFixture]
public sealed class OrdersEnvironment
{
    public static SandboxHost Sandbox { get; private set; } = null!;
    public static ApiFactory Api { get; private set; } = null!;

    public const long ShippingFeeFen = 800;
    public const long FreeShippingFromFen = 10_000;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Sandbox = await SandboxHost.StartAsync();
        var settings = Sandbox.ApiSettings();
        settings["Jobs:Orders:Enabled"] = "false";
        settings["Orders:ShippingFeeFen"] = ShippingFeeFen.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Orders:FreeShippingFromFen"] = FreeShippingFromFen.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Orders:MaxQuantity"] = "20";
        settings["Orders:MaxLines"] = "5";
        settings["WeChatPay:MchId"] = SandboxHost.MchId;
        Api = await ApiFactory.StartAsync(settings);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await Api.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}

public sealed record Shopper(long MemberId, HttpClient Client) : IDisposable
{
    public void Dispose() => Client.Dispose();
}

public static class OrderTestData
{
    static ApiFactory Api => OrdersEnvironment.Api;

    public static async Task<Shopper> LoginAsync()
    {
        var openId = "o_mp_" + Guid.NewGuid().ToString("N")[..20];
        var minted = await OrdersEnvironment.Sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/codes", new { openId });
        minted.EnsureSuccessStatusCode();
        var code = (await ReadAsync(minted)).GetProperty("code").GetString();
        using var anon = Api.CreateClient();
        var response = await anon.PostAsJsonAsync("/api/auth/login", new { code });
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        var body = await ReadAsync(response);
        var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        return new Shopper(body.GetProperty("memberId").GetInt64(), client);
    }

    /// <summary>A product on the shelf with one SKU per price given; returns the SKU ids in that order.</summary>
    public static async Task<long[]> NewSkusAsync(int stock, params long[] prices)
    {
        using var admin = Api.CreateAdminClient();
        var category = await CatalogTestData.NewCategoryAsync(admin);
        var skus = prices.Select((p, i) => CatalogTestData.Sku("c" + i, "M", p, stock)).ToArray();
        var product = await CatalogTestData.NewProductAsync(admin, CatalogTestData.Product(category, null, true, skus));
        return [.. product.GetProperty("skus").EnumerateArray().Select(s => s.GetProperty("id").GetInt64())];
    }

    public static async Task<long> NewAddressAsync(Shopper s, string phone = "13812345678")
    {
        var response = await s.Client.PostAsJsonAsync("/api/me/addresses", new
        {
            recipient = "张三", phone, province = "广东省", city = "深圳市", district = "南山区", detail = "科技园 1 号", postalCode = "518000",
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await ReadAsync(response)).GetProperty("id").GetInt64();
    }

    public static async Task<HttpResponseMessage> PlaceAsync(Shopper s, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await s.Client.SendAsync(request);
    }

    /// <summary>Places an order of the given SKU lines and returns its detail (asserting 201).</summary>
    public static async Task<JsonElement> PlaceOkAsync(Shopper s, long addressId, (long SkuId, int Quantity)[] lines, long pointsToUse = 0)
    {
        var response = await PlaceAsync(s, new { lines = lines.Select(l => new { skuId = l.SkuId, quantity = l.Quantity }), addressId, pointsToUse });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await ReadAsync(response);
    }

    public static Task<int> StockAsync(long skuId) => Api.ScalarAsync<int>("SELECT stock FROM catalog_skus WHERE id = @skuId", new { skuId });

    public static Task<long> BalanceAsync(long memberId) =>
        Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @memberId", new { memberId });

    public static async Task GiveAsync(long memberId, long points)
    {
        using var admin = Api.CreateAdminClient();
        var r = await admin.PostAsJsonAsync($"/admin/members/{memberId}/points", new { delta = points, reason = "test" });
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), await r.Content.ReadAsStringAsync());
    }

    /// <summary>What the payments side does on a verified notification, for tests of what comes after paid.</summary>
    public static Task MarkPaidAsync(string orderNo, string openId = "o_payer_1", string transactionId = "4200000000000000001") =>
        Api.ScalarAsync<int>("""
            UPDATE orders SET status = 'paid', paid_at = UTC_TIMESTAMP(3), payer_openid = @openId, transaction_id = @transactionId
            WHERE order_no = @orderNo AND status = 'pending_payment'
            """, new { orderNo, openId, transactionId });

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
