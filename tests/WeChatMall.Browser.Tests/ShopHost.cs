using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Browser.Tests;

/// <summary>
/// The H5 shop as a shopper meets it: the sandbox playing WeChat and WeChat Pay, the API on Kestrel serving the
/// built shop (src/WeChatMall.Shop/dist/build/h5, the sandbox build) under /shop, and a small tea catalog, two tiers,
/// one product code, two coupons in the coupon centre (满100减20, unlimited; a 九折 coupon with one in stock), a coupon
/// behind a redeem code and a points-mall item (a 5-yuan coupon for 10 points) made through the admin API.
/// </summary>
public sealed class ShopHost : IAsyncDisposable
{
    public const string ClaimPoints = "200";
    public const string CentreCouponTitle = "满100减20";
    public const string LimitedCouponTitle = "限量九折券";
    public const string MallItemTitle = "5元无门槛券";
    public const string RedeemCouponTitle = "3元兑换券";
    public const string RedeemCode = "TEA2026";
    private ShopHost(SandboxHost sandbox, ApiFactory api) { Sandbox = sandbox; Api = api; }

    public SandboxHost Sandbox { get; }
    public ApiFactory Api { get; }
    public string ShopUrl => new Uri(Api.BaseAddress, "/shop/").ToString();
    public string ProductCode { get; private set; } = "";
    public long LimitedCouponTemplateId { get; private set; }

    /// <summary>The built H5 shop of this checkout; the test fails with the command that builds it when it is missing.</summary>
    public static string H5Path()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WeChatMall.sln"))) dir = dir.Parent;
        var path = Path.Combine(dir?.FullName ?? ".", "src", "WeChatMall.Shop", "dist", "build", "h5");
        if (!File.Exists(Path.Combine(path, "index.html")) || !File.Exists(Path.Combine(path, ".built-h5:sandbox")))
            Assert.Fail($"The sandbox H5 build is missing at {path}: run `cd src/WeChatMall.Shop && npm ci && npm run build:h5:sandbox` (scripts/test.sh does).");
        return path;
    }

    public static async Task<ShopHost> StartAsync()
    {
        var h5 = H5Path();
        var sandbox = await SandboxHost.StartAsync();
        var s = sandbox.ApiSettings();
        s["WeChatPay:MchId"] = SandboxHost.MchId;
        s["WeChatPay:ApiV3Key"] = SandboxHost.ApiV3Key;
        s["WeChatPay:MerchantSerialNo"] = SandboxHost.MerchantSerial;
        s["WeChatPay:MerchantPrivateKeyPath"] = sandbox.MerchantPrivateKeyPath;
        s["WeChatPay:PlatformPublicKeyId"] = SandboxHost.PlatformKeyId;
        s["WeChatPay:PlatformPublicKeyPath"] = sandbox.PlatformPublicKeyPath;
        s["WeChatPay:NotifyUrl"] = "http://127.0.0.1:9/pay/notify";
        s["WeChatPay:RefundNotifyUrl"] = "http://127.0.0.1:9/pay/refund-notify";
        s["WeChatPay:ApiBaseUrl"] = sandbox.BaseUrl;
        s["Outbox:Enabled"] = "true";
        s["Outbox:PollIntervalMs"] = "100";
        s["Jobs:PaymentReconciliation:Enabled"] = "false";
        s["Shop:H5Path"] = h5;
        var api = await ApiFactory.StartAsync(s, kestrel: true);
        // The notify URLs need the port Kestrel picked; WeChat Pay options are bound on first use, which is after this.
        var config = api.Services.GetRequiredService<IConfiguration>();
        config["WeChatPay:NotifyUrl"] = new Uri(api.BaseAddress, "/pay/notify").ToString();
        config["WeChatPay:RefundNotifyUrl"] = new Uri(api.BaseAddress, "/pay/refund-notify").ToString();
        var host = new ShopHost(sandbox, api);
        await host.SeedAsync();
        return host;
    }

    private async Task SeedAsync()
    {
        using var admin = Api.CreateAdminClient();
        var category = await PostAsync(admin, "/admin/catalog/categories", new { name = "绿茶", sort = 1 });
        await PostAsync(admin, "/admin/catalog/categories", new { name = "白茶", sort = 2 });
        var categoryId = category.GetProperty("id").GetInt64();
        var longjing = await PostAsync(admin, "/admin/catalog/products", new
        {
            categoryId, title = "西湖龙井 明前特级", subtitle = "核心产区 · 2026 新茶", images = Array.Empty<string>(),
            description = "明前采摘，扁平光滑，豆花香。", onShelf = true, sort = 1,
            skus = new[]
            {
                new { spec = new[] { new { name = "规格", value = "250g 罐装" } }, priceFen = 12_800L, stock = 20, code = (string?)null },
                new { spec = new[] { new { name = "规格", value = "500g 礼盒" } }, priceFen = 23_800L, stock = 5, code = (string?)null },
            },
        });
        await PostAsync(admin, "/admin/catalog/products", new
        {
            categoryId, title = "碧螺春 一级", subtitle = "洞庭山", images = Array.Empty<string>(), description = "卷曲成螺。",
            onShelf = true, sort = 2,
            skus = new[] { new { spec = new[] { new { name = "规格", value = "100g" } }, priceFen = 6_800L, stock = 0, code = (string?)null } },
        });
        await PostAsync(admin, "/admin/tiers", new
        {
            code = "silver", name = "白银会员", rank = 1, minSpendFen = 10_000L, discountBasisPoints = 500, pointsMultiplierPercent = 100,
        });
        await PostAsync(admin, "/admin/tiers", new
        {
            code = "gold", name = "黄金会员", rank = 2, minSpendFen = 200_000L, discountBasisPoints = 1000, pointsMultiplierPercent = 150,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/product-codes/batches")
        {
            Content = JsonContent.Create(new { productId = longjing.GetProperty("id").GetInt64(), name = "龙井罐内码", points = long.Parse(ClaimPoints, System.Globalization.CultureInfo.InvariantCulture), count = 1 }),
        };
        request.Headers.Accept.ParseAdd("application/json");
        var batch = await admin.SendAsync(request);
        Assert.That((int)batch.StatusCode, Is.EqualTo(201).Or.EqualTo(200), await batch.Content.ReadAsStringAsync());
        ProductCode = (await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("codes")[0].GetProperty("code").GetString()!;

        await PostAsync(admin, "/admin/offers/coupon-templates", Coupon(CentreCouponTitle, "amount_off", amountOffFen: 2_000, percentOff: 0,
            thresholdFen: 10_000, totalStock: null, claimable: true));
        LimitedCouponTemplateId = (await PostAsync(admin, "/admin/offers/coupon-templates", Coupon(LimitedCouponTitle, "percent_off",
            amountOffFen: 0, percentOff: 10, thresholdFen: 0, totalStock: 1, claimable: true))).GetProperty("id").GetInt64();
        var mallCoupon = await PostAsync(admin, "/admin/offers/coupon-templates", Coupon(MallItemTitle, "amount_off", amountOffFen: 500,
            percentOff: 0, thresholdFen: 0, totalStock: null, claimable: false));
        await PostAsync(admin, "/admin/offers/coupon-templates", Coupon(RedeemCouponTitle, "amount_off", amountOffFen: 300, percentOff: 0,
            thresholdFen: 0, totalStock: null, claimable: false, redeemCode: RedeemCode));
        await PostAsync(admin, "/admin/offers/mall-items", new
        {
            title = MallItemTitle, kind = "coupon", couponTemplateId = mallCoupon.GetProperty("id").GetInt64(), skuId = (long?)null,
            pointsPrice = 10L, perMemberLimit = 1, active = true,
        });
    }

    private static object Coupon(string title, string kind, long amountOffFen, int percentOff, long thresholdFen, int? totalStock, bool claimable,
        string? redeemCode = null) => new
        {
            title, description = "全场通用", terms = "", kind, amountOffFen, percentOff, maxDiscountFen = kind == "percent_off" ? 5_000L : (long?)null,
            thresholdFen, scope = "all", scopeIds = Array.Empty<long>(), excludedProductIds = Array.Empty<long>(), validFrom = (DateTime?)null,
            validTo = (DateTime?)null, validDays = 30, totalStock, perMemberLimit = 1, audience = "all", audienceTiers = Array.Empty<string>(),
            combinableWithTier = true, claimable, redeemCode, giftOnPaidFromFen = (long?)null, active = true,
        };

    /// <summary>Another shopper, signed in through the API with a sandbox wx.login code (as the H5 shop does).</summary>
    public async Task<HttpClient> ShopperClientAsync(string openId)
    {
        var client = Api.CreateClient();
        var minted = await PostAsync(client, "/api/dev/sandbox/login-codes", new { openId });
        var session = await PostAsync(client, "/api/auth/login", new { code = minted.GetProperty("code").GetString() });
        client.DefaultRequestHeaders.Authorization = new("Bearer", session.GetProperty("token").GetString());
        return client;
    }

    public static async Task<JsonElement> PostAsync(HttpClient admin, string path, object body)
    {
        var response = await admin.PostAsJsonAsync(path, body);
        Assert.That((int)response.StatusCode, Is.EqualTo(201).Or.EqualTo(200), $"{path}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
