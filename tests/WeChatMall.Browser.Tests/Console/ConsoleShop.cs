using System.Net.Http.Headers;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Browser.Tests.Console.ConsoleEnvironment;

namespace WeChatMall.Browser.Tests.Console;

/// <summary>Shop data through the real APIs: a shopper's mini-program login, a product, an order paid in the sandbox.</summary>
public static class ConsoleShop
{
    public static async Task<long> NewSkuAsync(string title, long priceFen, int stock = 20)
    {
        using var admin = ApiServer.CreateAdminClient();
        var category = await JsonAsync(await admin.PostAsJsonAsync("/admin/catalog/categories", new { name = "茶叶", sort = 0 }));
        var product = await JsonAsync(await admin.PostAsJsonAsync("/admin/catalog/products", new
        {
            categoryId = category.GetProperty("id").GetInt64(), title, images = Array.Empty<string>(), onShelf = true, sort = 0,
            skus = new[] { new { spec = new[] { new { name = "规格", value = "250g" } }, priceFen, stock, sort = 0 } },
        }));
        return product.GetProperty("skus")[0].GetProperty("id").GetInt64();
    }

    /// <summary>A shopper logs in, orders one unit of a new product and pays in the sandbox; answers the order number once paid.</summary>
    public static async Task<string> PaidOrderAsync(long priceFen = 8_800, string title = "西湖龙井 250g")
    {
        var skuId = await NewSkuAsync(title, priceFen);
        var openId = "o_mp_" + Guid.NewGuid().ToString("N")[..20];
        var code = (await JsonAsync(await WeChatSandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/codes", new { openId }))).GetProperty("code").GetString();
        using var anonymous = ApiServer.CreateClient();
        var login = await JsonAsync(await anonymous.PostAsJsonAsync("/api/auth/login", new { code }));
        using var shopper = ApiServer.CreateClient();
        shopper.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("token").GetString());
        var address = await JsonAsync(await shopper.PostAsJsonAsync("/api/me/addresses", new
        {
            recipient = "张三", phone = "13812345678", province = "浙江省", city = "杭州市", district = "西湖区", detail = "龙井路 1 号",
        }));
        var order = await JsonAsync(await shopper.PostAsJsonAsync("/api/orders", new
        {
            lines = new[] { new { skuId, quantity = 1 } }, addressId = address.GetProperty("id").GetInt64(), pointsToUse = 0,
        }));
        var orderNo = order.GetProperty("orderNo").GetString()!;
        await JsonAsync(await shopper.PostAsync($"/api/orders/{orderNo}/pay", null));
        await JsonAsync(await WeChatSandbox.Client.PostAsync($"/sandbox/pay/{orderNo}/pay", null));
        var status = await Eventually.MatchAsync(
            () => ApiServer.ScalarAsync<string>("SELECT status FROM orders WHERE order_no = @orderNo", new { orderNo }), s => s == "paid", 15_000);
        Assert.That(status, Is.EqualTo("paid"), "the sandbox's payment notification reached the API");
        return orderNo;
    }
}
