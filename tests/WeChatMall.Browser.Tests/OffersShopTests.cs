using Microsoft.Playwright;
using WeChatMall.Api.Tests.TestHost;
using static Microsoft.Playwright.Assertions;

namespace WeChatMall.Browser.Tests;

/// <summary>
/// The shop's offers in headless chromium at a phone's size (its own ShopHost, so its purchases leave ShopTests' stock
/// alone): daily sign-in and its reward, a second tap refused; the points mall; the coupon centre (sold out, limit
/// reached); a redeem code; my coupons; checkout with the server's best coupon preselected, another or none picked, paid in the sandbox
/// cashier with the discount on the order. Screenshots as ShopTests (SHOP_SCREENSHOTS_DIR).
/// </summary>
public sealed class OffersShopTests : ShopBrowserTest
{
    [Test]
    public async Task Shopper_SignsInDaily_ClaimsACoupon_AndPaysWithTheBestCouponPreselected()
    {
        var page = await PhoneAsync();
        var openId = "o_mp_offer_" + Guid.NewGuid().ToString("N")[..12];

        // Sign in to the shop, then the daily sign-in from 我的.
        await page.GotoAsync(shop.ShopUrl + "#/pages/me/me");
        await TestId(page, "go-login").ClickAsync();
        await FillAsync(page, "dev-openid", openId);
        await TestId(page, "dev-login").ClickAsync();
        await Expect(TestId(page, "tier")).ToHaveTextAsync("普通会员");
        await TestId(page, "go-signin").ClickAsync();
        await Expect(TestId(page, "signin-day")).ToHaveCountAsync(7);
        await Expect(TestId(page, "signin-button")).ToHaveTextAsync("立即签到");
        await Expect(TestId(page, "signin-balance")).ToHaveTextAsync("0");
        await TestId(page, "signin-button").ClickAsync();
        await Expect(TestId(page, "signin-result")).ToHaveTextAsync("签到成功，获得 10 积分");
        await Expect(TestId(page, "signin-balance")).ToHaveTextAsync("10");
        await Expect(TestId(page, "signin-streak")).ToHaveTextAsync("1");
        await Expect(TestId(page, "signin-button")).ToHaveTextAsync("今日已签到");
        await Expect(page.Locator("[data-testid=signin-day][data-signed='1']:visible")).ToHaveCountAsync(1);
        await ShotAsync(page, "signin");

        // A second tap: the server refuses politely (no second reward).
        await TestId(page, "signin-button").ClickAsync();
        await Expect(TestId(page, "signin-refused")).ToHaveTextAsync("今天已经签到过了，明天再来吧");
        await Expect(TestId(page, "signin-balance")).ToHaveTextAsync("10");
        var memberId = await shop.Api.ScalarAsync<long>(
            "SELECT member_id FROM member_identities WHERE kind = 'mp_openid' AND value = @openId", new { openId });
        Assert.That(await shop.Api.ScalarAsync<long>("SELECT COUNT(*) FROM sign_ins WHERE member_id = @memberId", new { memberId }), Is.EqualTo(1));
        Assert.That(await shop.Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @memberId", new { memberId }), Is.EqualTo(10));

        // The points mall: the 10 points buy a 5-yuan coupon.
        await page.GotoAsync(shop.ShopUrl + "#/pages/mall/mall");
        await Expect(TestId(page, "mall-balance")).ToHaveTextAsync("10");
        await Expect(TestId(page, "mall-item")).ToContainTextAsync(ShopHost.MallItemTitle);
        await ShotAsync(page, "mall");
        await TestId(page, "mall-exchange").ClickAsync();
        await page.Locator(".uni-modal__btn_primary:visible").ClickAsync();
        await Expect(TestId(page, "mall-balance")).ToHaveTextAsync("0");

        // Another shopper takes the only limited coupon; the coupon centre shows it sold out, and the claimed one as taken.
        using (var other = await shop.ShopperClientAsync("o_mp_other_" + Guid.NewGuid().ToString("N")[..12]))
            await ShopHost.PostAsync(other, $"/api/coupons/{shop.LimitedCouponTemplateId}/claim", new { });
        await page.GotoAsync(shop.ShopUrl + "#/pages/coupons/center");
        await Expect(TestId(page, "coupon-template")).ToHaveCountAsync(2);
        var limited = page.Locator($"[data-testid=coupon-template][data-title='{ShopHost.LimitedCouponTitle}']:visible");
        var centre = page.Locator($"[data-testid=coupon-template][data-title='{ShopHost.CentreCouponTitle}']:visible");
        await Expect(limited.Locator("[data-testid=sold-out]")).ToHaveTextAsync("已抢光");
        await Expect(limited.Locator("[data-testid=claim]")).ToHaveAttributeAsync("disabled", "true");
        await Expect(centre.Locator("[data-testid=claim]")).ToHaveTextAsync("立即领取");
        await centre.Locator("[data-testid=claim]").ClickAsync();
        await Expect(centre.Locator("[data-testid=limit-reached]")).ToHaveTextAsync("已达上限");
        await Expect(centre.Locator("[data-testid=claim]")).ToHaveAttributeAsync("disabled", "true");
        await ShotAsync(page, "coupons");

        // A redeem code: a wrong one is refused, the merchant's one adds its coupon.
        await FillAsync(page, "redeem-code", "NOSUCH1");
        await TestId(page, "redeem-submit").ClickAsync();
        await Expect(page.Locator("uni-toast:visible")).ToHaveTextAsync("兑换码不存在");
        await FillAsync(page, "redeem-code", ShopHost.RedeemCode);
        await TestId(page, "redeem-submit").ClickAsync();
        await Expect(TestId(page, "redeem-result")).ToContainTextAsync(ShopHost.RedeemCouponTitle);

        // 我的优惠券: the claimed coupon, the redeemed one and the one from the points mall, all usable.
        await TestId(page, "go-my-coupons").ClickAsync();
        await Expect(TestId(page, "my-coupon")).ToHaveCountAsync(3);
        await ShotAsync(page, "my-coupons");

        // Buy 250g (¥128): checkout preselects the best coupon (满100减20) and the payable is the server's ¥108.
        await page.GotoAsync(shop.ShopUrl + "#/pages/index/index");
        await TestId(page, "product").First.ClickAsync();
        await Expect(TestId(page, "price")).ToHaveTextAsync("¥128.00");
        await TestId(page, "add-to-cart").ClickAsync();
        await page.WaitForTimeoutAsync(300);
        await page.GotoAsync(shop.ShopUrl + "#/pages/cart/cart");
        await Expect(TestId(page, "cart-line")).ToHaveCountAsync(1);
        await TestId(page, "checkout").ClickAsync();
        await TestId(page, "address").ClickAsync();
        await TestId(page, "new-address").ClickAsync();
        await FillAsync(page, "recipient", "李四");
        await FillAsync(page, "phone", "13912345678");
        await FillAsync(page, "province", "浙江省");
        await FillAsync(page, "city", "杭州市");
        await FillAsync(page, "district", "西湖区");
        await FillAsync(page, "detail", "龙井路 2 号");
        await TestId(page, "save-address").ClickAsync();
        await TestId(page, "address-item").First.ClickAsync();
        await Expect(TestId(page, "coupon-chosen")).ToHaveTextAsync($"{ShopHost.CentreCouponTitle} -¥20.00 ›");
        await Expect(TestId(page, "quote-coupon")).ToHaveTextAsync("-¥20.00");
        await Expect(TestId(page, "quote-payable")).ToHaveTextAsync("¥108.00");
        await ShotAsync(page, "checkout-coupon");

        // The shopper may pick none or another; the server requotes each time.
        await TestId(page, "coupon-picker").ClickAsync();
        await Expect(TestId(page, "coupon-option")).ToHaveCountAsync(3);
        await TestId(page, "coupon-none").ClickAsync();
        await Expect(TestId(page, "quote-payable")).ToHaveTextAsync("¥128.00");
        await TestId(page, "coupon-picker").ClickAsync();
        await TestId(page, "coupon-option").Filter(new() { HasText = ShopHost.MallItemTitle }).ClickAsync();
        await Expect(TestId(page, "quote-payable")).ToHaveTextAsync("¥123.00");
        await TestId(page, "coupon-picker").ClickAsync();
        await TestId(page, "coupon-option").Filter(new() { HasText = ShopHost.CentreCouponTitle }).ClickAsync();
        await Expect(TestId(page, "quote-payable")).ToHaveTextAsync("¥108.00");
        await TestId(page, "place-order").ClickAsync();

        // Pay ¥108 in the sandbox cashier; the order shows the coupon's discount and the coupon is used.
        await Expect(TestId(page, "payable")).ToHaveTextAsync("¥108.00");
        await Expect(TestId(page, "order-coupon")).ToHaveTextAsync("-¥20.00");
        await TestId(page, "pay").ClickAsync();
        await TestId(page, "sandbox-approve").ClickAsync();
        await Expect(TestId(page, "paid")).ToBeVisibleAsync();
        await page.GotoAsync(shop.ShopUrl + "#/pages/orders/list");
        await TestId(page, "order").ClickAsync();
        await Expect(TestId(page, "order-status")).ToHaveAttributeAsync("data-status", "paid");
        await Expect(TestId(page, "order-coupon")).ToHaveTextAsync("-¥20.00");
        await ShotAsync(page, "order-coupon");

        var orderNo = await shop.Api.ScalarAsync<string>("SELECT order_no FROM orders WHERE member_id = @memberId", new { memberId });
        Assert.That(await shop.Api.ScalarAsync<long>("SELECT coupon_fen FROM orders WHERE order_no = @orderNo", new { orderNo }), Is.EqualTo(2_000));
        Assert.That(await shop.Api.ScalarAsync<long>("SELECT payable_fen FROM orders WHERE order_no = @orderNo", new { orderNo }), Is.EqualTo(10_800));
        Assert.That(await shop.Api.ScalarAsync<string>(
            "SELECT c.status FROM member_coupons c JOIN coupon_templates t ON t.id = c.template_id WHERE c.member_id = @memberId AND t.title = @title",
            new { memberId, title = ShopHost.CentreCouponTitle }), Is.EqualTo("used"));
    }
}
