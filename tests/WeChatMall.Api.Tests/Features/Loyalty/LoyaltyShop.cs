using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.Features.Catalog;
using WeChatMall.Api.Tests.Features.Payments;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Loyalty;

public sealed record PlacedOrder(string OrderNo, long GoodsFen, long DiscountFen, long PointsUsed, long PointsFen, long PayableFen, string? TierCode);

/// <summary>What a shopper and the merchant do, through the real endpoints and the sandbox's WeChat Pay.</summary>
public static class LoyaltyShop
{
    static ApiFactory Api => LoyaltyEnvironment.Api;
    static SandboxHost Sandbox => LoyaltyEnvironment.Sandbox;

    /// <summary>A shopper signed in with the mini-program, referred by <paramref name="inviteCode"/> when given, with an address.</summary>
    public static async Task<(Shopper Shopper, long AddressId)> SignUpAsync(string? inviteCode = null)
    {
        var openId = "o_mp_" + Guid.NewGuid().ToString("N")[..20];
        var minted = await Sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/codes", new { openId });
        var code = (await ReadAsync(minted)).GetProperty("code").GetString();
        using var anonymous = Api.CreateClient();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { code, inviteCode });
        var body = await ReadAsync(login);
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.That(body.TryGetProperty("referralRefused", out var refused) && refused.ValueKind != JsonValueKind.Null, Is.False, body.ToString());
        var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        var address = await ReadAsync(await client.PostAsJsonAsync("/api/me/addresses", new
        {
            recipient = "李四", phone = "13912345678", province = "浙江省", city = "杭州市", district = "西湖区", detail = "龙井路 1 号",
        }));
        return (new Shopper(body.GetProperty("memberId").GetInt64(), openId, client), address.GetProperty("id").GetInt64());
    }

    public static async Task<string> InviteCodeAsync(Shopper shopper) =>
        (await ReadAsync(await shopper.Client.GetAsync("/api/me"))).GetProperty("inviteCode").GetString()!;

    /// <summary>A product with one SKU at <paramref name="priceFen"/>; <paramref name="pointsPerYuan"/> overrides the store's rate.</summary>
    public static async Task<long> NewSkuAsync(long priceFen, int? pointsPerYuan = null, int stock = 100)
    {
        using var admin = Api.CreateAdminClient();
        var category = await CatalogTestData.NewCategoryAsync(admin);
        var product = await CatalogTestData.NewProductAsync(admin, new
        {
            categoryId = category, title = CatalogTestData.Unique("tea"), images = new[] { "https://img.example.com/a.jpg" },
            onShelf = true, pointsPerYuan, skus = new[] { CatalogTestData.Sku("green", "L", priceFen, stock) },
        });
        return product.GetProperty("skus")[0].GetProperty("id").GetInt64();
    }

    public static async Task<PlacedOrder> PlaceAsync(Shopper shopper, long addressId, long skuId, int quantity, long pointsToUse = 0)
    {
        var response = await shopper.Client.PostAsJsonAsync("/api/orders",
            new { lines = new[] { new { skuId, quantity } }, addressId, pointsToUse });
        var b = await ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), b.ToString());
        return new PlacedOrder(b.GetProperty("orderNo").GetString()!, b.GetProperty("goodsFen").GetInt64(), b.GetProperty("discountFen").GetInt64(),
            b.GetProperty("pointsUsed").GetInt64(), b.GetProperty("pointsFen").GetInt64(), b.GetProperty("payableFen").GetInt64(),
            b.GetProperty("tierCode").GetString());
    }

    /// <summary>Prepay, the shopper confirms in WeChat, TRANSACTION.SUCCESS lands: the order is paid.</summary>
    public static async Task PayAsync(Shopper shopper, string orderNo)
    {
        var prepay = await shopper.Client.PostAsync($"/api/orders/{orderNo}/pay", null);
        Assert.That(prepay.StatusCode, Is.EqualTo(HttpStatusCode.OK), await prepay.Content.ReadAsStringAsync());
        var paid = await Sandbox.Client.PostAsync($"/sandbox/pay/{orderNo}/pay", null);
        Assert.That(paid.StatusCode, Is.EqualTo(HttpStatusCode.OK), await paid.Content.ReadAsStringAsync());
        Assert.That(await WaitForStatusAsync(orderNo, "paid"), Is.EqualTo("paid"));
    }

    public static async Task<PlacedOrder> BuyAsync(Shopper shopper, long addressId, long skuId, int quantity, long pointsToUse = 0)
    {
        var order = await PlaceAsync(shopper, addressId, skuId, quantity, pointsToUse);
        await PayAsync(shopper, order.OrderNo);
        return order;
    }

    /// <summary>The merchant refunds <paramref name="amountFen"/>; the sandbox refunds and posts REFUND.SUCCESS. Returns out_refund_no.</summary>
    public static async Task<string> RefundAsync(string orderNo, long amountFen)
    {
        using var admin = Api.CreateAdminClient();
        var before = await Api.ScalarAsync<long>("SELECT refunded_fen FROM orders WHERE order_no = @orderNo", new { orderNo });
        var created = await admin.PostAsJsonAsync($"/admin/orders/{orderNo}/refunds", new { amountFen, reason = "returned", returnStock = true });
        var body = await ReadAsync(created);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToString());
        var refunded = await Eventually.MatchAsync(() => Api.ScalarAsync<long>("SELECT refunded_fen FROM orders WHERE order_no = @orderNo", new { orderNo }),
            f => f == before + amountFen, 15_000);
        Assert.That(refunded, Is.EqualTo(before + amountFen), "the refund notification was applied");
        return body.GetProperty("outRefundNo").GetString()!;
    }

    public static Task<string> WaitForStatusAsync(string orderNo, string status) =>
        Eventually.MatchAsync(() => Api.ScalarAsync<string>("SELECT status FROM orders WHERE order_no = @orderNo", new { orderNo }), s => s == status, 15_000);

    public static async Task<MemberPoints> PointsAsync(long memberId) =>
        (await Api.QueryAsync<MemberPoints>("""
            SELECT points_balance AS Balance, points_owed AS Owed, tier AS Tier, lifetime_spend_fen AS LifetimeSpendFen,
                   (SELECT COALESCE(SUM(delta), 0) FROM points_ledger WHERE member_id = m.id) AS LedgerSum,
                   (SELECT COALESCE(SUM(remaining), 0) FROM points_lots WHERE member_id = m.id) AS LotsSum,
                   (SELECT COALESCE(SUM(delta), 0) FROM points_owed_entries WHERE member_id = m.id) AS OwedSum
            FROM members m WHERE id = @memberId
            """, new { memberId })).Single();

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}

/// <summary>A member's points as stored: balance, owed, and the sums that must agree with them.</summary>
public sealed record MemberPoints
{
    public long Balance { get; init; }
    public long Owed { get; init; }
    public string? Tier { get; init; }
    public long LifetimeSpendFen { get; init; }
    public long LedgerSum { get; init; }
    public long LotsSum { get; init; }
    public long OwedSum { get; init; }

    /// <summary>Balance minus what is owed: what the member really holds.</summary>
    public long Net => Balance - Owed;
}
