using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WeChatMall.Api.Tests.TestHost;
using static Microsoft.Playwright.Assertions;

namespace WeChatMall.Browser.Tests;

/// <summary>
/// The shopper's H5 mall in headless chromium at a phone's size, against the API and the WeChat sandbox: sign in with a
/// sandbox wx.login code, browse, add to cart, place the order, pay through the sandbox cashier, see it paid and the
/// points credited, claim a product code and ask for a refund. With SHOP_SCREENSHOTS_DIR set (scripts/shop-screenshots.sh)
/// the main pages are saved there (docs/shop/).
/// </summary>
public sealed class ShopTests : ShopBrowserTest
{
    [Test]
    public async Task Shopper_SignsIn_Buys_PaysInTheSandboxCashier_EarnsPoints_ClaimsACode_AndAsksForARefund()
    {
        var page = await PhoneAsync();
        var openId = "o_mp_shop_" + Guid.NewGuid().ToString("N")[..12];

        // Home: categories and products; search narrows them.
        await page.GotoAsync(shop.ShopUrl);
        await Expect(TestId(page, "product")).ToHaveCountAsync(2);
        await Expect(TestId(page, "category").First).ToHaveTextAsync("绿茶");
        await ShotAsync(page, "home");
        await FillAsync(page, "search", "龙井");
        await TestId(page, "search-button").ClickAsync();
        await Expect(TestId(page, "product")).ToHaveCountAsync(1);
        await TestId(page, "product").ClickAsync();

        // Detail before sign-in: list price, SKU picker and stock; adding asks to sign in (the sandbox mints the code).
        await Expect(TestId(page, "price")).ToHaveTextAsync("¥128.00");
        await Expect(TestId(page, "stock")).ToContainTextAsync("库存 20 件");
        await TestId(page, "add-to-cart").ClickAsync();
        await FillAsync(page, "dev-openid", openId);
        await ShotAsync(page, "login");
        await TestId(page, "dev-login").ClickAsync();
        await Expect(TestId(page, "price")).ToBeVisibleAsync();
        await TestId(page, "sku").Nth(1).ClickAsync();
        await Expect(TestId(page, "stock")).ToContainTextAsync("库存 5 件");
        await TestId(page, "add-to-cart").ClickAsync();
        await page.WaitForTimeoutAsync(300);

        // Cart → checkout: a new address, no points, the order placed by the server.
        await page.GotoAsync(shop.ShopUrl + "#/pages/cart/cart");
        await Expect(TestId(page, "cart-line")).ToHaveCountAsync(1);
        await Expect(TestId(page, "cart-total")).ToHaveTextAsync("¥238.00");
        await ShotAsync(page, "cart");
        await TestId(page, "checkout").ClickAsync();
        await TestId(page, "address").ClickAsync();
        await TestId(page, "new-address").ClickAsync();
        await FillAsync(page, "recipient", "张三");
        await FillAsync(page, "phone", "13812345678");
        await FillAsync(page, "province", "浙江省");
        await FillAsync(page, "city", "杭州市");
        await FillAsync(page, "district", "西湖区");
        await FillAsync(page, "detail", "龙井路 1 号");
        await TestId(page, "save-address").ClickAsync();
        await TestId(page, "address-item").First.ClickAsync();
        await Expect(TestId(page, "address")).ToContainTextAsync("张三");
        await Expect(TestId(page, "coupon-chosen")).ToHaveTextAsync("暂无可用优惠券");
        await Expect(TestId(page, "quote-payable")).ToHaveTextAsync("¥238.00");
        await ShotAsync(page, "checkout");
        await TestId(page, "place-order").ClickAsync();

        // Pay: the server's payable, the sandbox cashier approves, WeChat Pay's notification marks it paid.
        await Expect(TestId(page, "payable")).ToHaveTextAsync("¥238.00");
        await TestId(page, "pay").ClickAsync();
        await Expect(TestId(page, "sandbox-cashier")).ToBeVisibleAsync();
        await ShotAsync(page, "cashier");
        await TestId(page, "sandbox-approve").ClickAsync();
        await Expect(TestId(page, "paid")).ToBeVisibleAsync();
        await Expect(TestId(page, "paid")).ToContainTextAsync("本单获得 238 积分");
        await ShotAsync(page, "paid");

        var memberId = await shop.Api.ScalarAsync<long>(
            "SELECT member_id FROM member_identities WHERE kind = 'mp_openid' AND value = @openId", new { openId });
        var orderNo = await shop.Api.ScalarAsync<string>("SELECT order_no FROM orders WHERE member_id = @memberId", new { memberId });
        Assert.That(await shop.Api.ScalarAsync<string>("SELECT status FROM orders WHERE order_no = @orderNo", new { orderNo }), Is.EqualTo("paid"));
        Assert.That(await shop.Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @memberId", new { memberId }), Is.GreaterThanOrEqualTo(238));

        // Me: the member card shows the tier reached by the spend and the points.
        await page.GotoAsync(shop.ShopUrl + "#/pages/me/me");
        await Expect(TestId(page, "tier")).ToHaveTextAsync("白银会员");
        var balance = await shop.Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @memberId", new { memberId });
        await Expect(TestId(page, "points-balance")).ToHaveTextAsync(balance.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ShotAsync(page, "me");

        // Product detail now shows the member's tier price (5 % off for 白银会员) with the list price struck through.
        // Each instance caches a member's discount for a minute (docs/loyalty.md); the test skips that minute.
        ((MemoryCache)shop.Api.Services.GetRequiredService<IMemoryCache>()).Clear();
        await page.GotoAsync(shop.ShopUrl + "#/pages/index/index");
        await TestId(page, "product").First.ClickAsync();
        await Expect(TestId(page, "tier-price")).ToHaveTextAsync("会员价");
        await Expect(TestId(page, "price")).ToHaveTextAsync("¥121.60");
        await ShotAsync(page, "product");
        await page.GotoAsync(shop.ShopUrl + "#/pages/me/me");

        // Claim a product code (typed in H5; wx.scanCode in the mini-program).
        await Expect(TestId(page, "tier")).ToHaveTextAsync("白银会员");
        await TestId(page, "go-claim").ClickAsync();
        await FillAsync(page, "claim-code", shop.ProductCode);
        await TestId(page, "claim-submit").ClickAsync();
        await Expect(TestId(page, "claim-result")).ToContainTextAsync($"+{ShopHost.ClaimPoints} 积分");
        await ShotAsync(page, "claim");
        Assert.That(await shop.Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @memberId", new { memberId }),
            Is.EqualTo(balance + long.Parse(ShopHost.ClaimPoints, System.Globalization.CultureInfo.InvariantCulture)));

        // Orders → detail → ask for a refund; it waits for the merchant.
        await page.GotoAsync(shop.ShopUrl + "#/pages/orders/list");
        await Expect(TestId(page, "order")).ToHaveCountAsync(1);
        await ShotAsync(page, "orders");
        await TestId(page, "order").ClickAsync();
        await Expect(TestId(page, "order-status")).ToHaveAttributeAsync("data-status", "paid");
        await TestId(page, "refund").ClickAsync();
        await FillAsync(page, "refund-reason", "买多了");
        await TestId(page, "refund-submit").ClickAsync();
        await Expect(TestId(page, "refund-requested")).ToBeVisibleAsync();
        await ShotAsync(page, "order-detail");
        Assert.That(await shop.Api.ScalarAsync<string>(
            "SELECT r.status FROM order_refunds r JOIN orders o ON o.id = r.order_id WHERE o.order_no = @orderNo AND r.source = 'shopper'",
            new { orderNo }), Is.EqualTo("requested"));
    }
}
