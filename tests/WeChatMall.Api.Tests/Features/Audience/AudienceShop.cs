using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.Features.Catalog;
using WeChatMall.Api.Tests.Features.Members;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Audience;

/// <summary>A member as a test drives them: the mini-program client, the Official Account openid if any, an address.</summary>
public sealed record Buyer(long MemberId, string? OaOpenId, HttpClient Client, long AddressId);

/// <summary>What members do, through the real endpoints, the sandbox's WeChat Pay and its follower simulator.</summary>
public static class AudienceShop
{
    static ApiFactory Api => AudienceEnvironment.Api;
    static SandboxHost Sandbox => AudienceEnvironment.Sandbox;

    /// <summary>
    /// A member who signed in with the mini-program; with <paramref name="officialAccount"/> also through web OAuth
    /// (snsapi_userinfo) first, so the same UnionID joins the Official Account openid and the mini-program openid.
    /// </summary>
    public static async Task<Buyer> NewMemberAsync(bool officialAccount)
    {
        string? oa = null, unionId = null;
        long? oauthMember = null;
        if (officialAccount)
        {
            oa = OAuthTestData.NewOaOpenId();
            unionId = "u" + oa; // the sandbox's UnionID of that follower
            using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = Api.BaseAddress };
            var (callback, _) = await OAuthTestData.SignInAsync(browser, oa, scope: "userinfo");
            oauthMember = long.Parse(OAuthTestData.Fragment(callback)["memberId"], CultureInfo.InvariantCulture);
        }
        var mpOpenId = "o_mp_" + Guid.NewGuid().ToString("N")[..20];
        var minted = await ReadAsync(await Sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/codes", new { openId = mpOpenId, unionId }));
        using var anonymous = Api.CreateClient();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { code = minted.GetProperty("code").GetString() });
        var body = await ReadAsync(login);
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var memberId = body.GetProperty("memberId").GetInt64();
        if (oauthMember is { } m) Assert.That(memberId, Is.EqualTo(m), "the UnionID joins both openids to one member");
        var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        var address = await ReadAsync(await client.PostAsJsonAsync("/api/me/addresses", new
        {
            recipient = "王五", phone = "13912345678", province = "浙江省", city = "杭州市", district = "西湖区", detail = "龙井路 1 号",
        }));
        return new Buyer(memberId, oa, client, address.GetProperty("id").GetInt64());
    }

    /// <summary>A category with one product of one SKU at <paramref name="priceFen"/>; returns (categoryId, productId, skuId).</summary>
    public static async Task<(long CategoryId, long ProductId, long SkuId)> NewProductAsync(long priceFen, long? categoryId = null)
    {
        using var admin = Api.CreateAdminClient();
        var category = categoryId ?? await CatalogTestData.NewCategoryAsync(admin);
        var product = await CatalogTestData.NewProductAsync(admin, CatalogTestData.Product(category, CatalogTestData.Unique("p"), true,
            CatalogTestData.Sku("plain", "M", priceFen, 1_000)));
        return (category, product.GetProperty("id").GetInt64(), product.GetProperty("skus")[0].GetProperty("id").GetInt64());
    }

    /// <summary>Places and pays an order of one unit; returns its number once it is paid.</summary>
    public static async Task<string> BuyAsync(Buyer buyer, long skuId)
    {
        var placed = await buyer.Client.PostAsJsonAsync("/api/orders", new { lines = new[] { new { skuId, quantity = 1 } }, addressId = buyer.AddressId });
        var order = await ReadAsync(placed);
        Assert.That(placed.StatusCode, Is.EqualTo(HttpStatusCode.Created), order.ToString());
        var orderNo = order.GetProperty("orderNo").GetString()!;
        var prepay = await buyer.Client.PostAsync($"/api/orders/{orderNo}/pay", null);
        Assert.That(prepay.StatusCode, Is.EqualTo(HttpStatusCode.OK), await prepay.Content.ReadAsStringAsync());
        var paid = await Sandbox.Client.PostAsync($"/sandbox/pay/{orderNo}/pay", null);
        Assert.That(paid.StatusCode, Is.EqualTo(HttpStatusCode.OK), await paid.Content.ReadAsStringAsync());
        var status = await Eventually.MatchAsync(() => Api.ScalarAsync<string>("SELECT status FROM orders WHERE order_no = @orderNo", new { orderNo }),
            s => s == "paid", 15_000);
        Assert.That(status, Is.EqualTo("paid"));
        return orderNo;
    }

    /// <summary>The merchant refunds <paramref name="amountFen"/>; returns once REFUND.SUCCESS was applied.</summary>
    public static async Task RefundAsync(string orderNo, long amountFen)
    {
        using var admin = Api.CreateAdminClient();
        var before = await Api.ScalarAsync<long>("SELECT refunded_fen FROM orders WHERE order_no = @orderNo", new { orderNo });
        var created = await admin.PostAsJsonAsync($"/admin/orders/{orderNo}/refunds", new { amountFen, reason = "returned", returnStock = false });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var refunded = await Eventually.MatchAsync(() => Api.ScalarAsync<long>("SELECT refunded_fen FROM orders WHERE order_no = @orderNo", new { orderNo }),
            f => f == before + amountFen, 15_000);
        Assert.That(refunded, Is.EqualTo(before + amountFen), "the refund notification was applied");
    }

    /// <summary>The follower follows (through a QR code of <paramref name="scene"/> when given), unfollows or writes.</summary>
    public static async Task FollowAsync(string oaOpenId, string? scene) =>
        await Act($"/sandbox/followers/{oaOpenId}/subscribe", scene is null ? new { } : new { scene });

    public static async Task UnfollowAsync(string oaOpenId) => await Act($"/sandbox/followers/{oaOpenId}/unsubscribe", new { });

    public static async Task WriteAsync(string oaOpenId, string content) => await Act($"/sandbox/followers/{oaOpenId}/text", new { content });

    static async Task Act(string path, object body)
    {
        var response = await Sandbox.Client.PostAsJsonAsync(path, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
