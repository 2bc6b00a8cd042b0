using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.Features.Catalog;
using WeChatMall.Api.Tests.Features.Payments;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Offers.OfferTestData;

namespace WeChatMall.Api.Tests.Features.Offers.Checkout;

/// <summary>One coupon per order: checked and locked with the order, used at payment, returned on cancel, expiry and full refund, kept on a partial refund.</summary>
public sealed class CouponCheckoutTests
{
    static ApiFactory Api => CheckoutEnvironment.Api;
    static SandboxHost Sandbox => CheckoutEnvironment.Sandbox;

    sealed record Setup(Shopper Shopper, long AddressId, long SkuId, long CouponId);

    /// <summary>A shopper with an address, a SKU at <paramref name="priceFen"/> and a claimed coupon of <paramref name="template"/>.</summary>
    static async Task<Setup> SetUpAsync(long priceFen, Dictionary<string, object?> template)
    {
        var shopper = await PayTestData.LoginAsync(Api, Sandbox);
        var address = await ReadAsync(await shopper.Client.PostAsJsonAsync("/api/me/addresses", new
        {
            recipient = "张三", phone = "13812345678", province = "浙江省", city = "杭州市", district = "西湖区", detail = "龙井路 1 号",
        }));
        var skuId = await PayTestData.NewSkuAsync(stock: 50, priceFen: priceFen, api: Api);
        var templateId = await NewTemplateAsync(Api, template);
        var couponId = await ClaimAsync(new OfferMember(shopper.MemberId, shopper.Client), templateId);
        return new Setup(shopper, address.GetProperty("id").GetInt64(), skuId, couponId);
    }

    static Task<HttpResponseMessage> OrderAsync(Setup s, long? couponId, int quantity = 1) =>
        s.Shopper.Client.PostAsJsonAsync("/api/orders", new { lines = new[] { new { skuId = s.SkuId, quantity } }, addressId = s.AddressId, pointsToUse = 0, memberCouponId = couponId });

    static async Task<JsonElement> PlaceOkAsync(Setup s, long? couponId)
    {
        var response = await OrderAsync(s, couponId);
        var json = await ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), json.ToString());
        return json;
    }

    static async Task PayAsync(Shopper shopper, string orderNo)
    {
        var prepay = await PayTestData.PayAsync(shopper, orderNo);
        Assert.That(prepay.StatusCode, Is.EqualTo(HttpStatusCode.OK), await prepay.Content.ReadAsStringAsync());
        await PayTestData.SandboxPaysAsync(orderNo, Sandbox);
        Assert.That(await Eventually.MatchAsync(() => PayTestData.StatusAsync(orderNo, Api), x => x == "paid", 15_000), Is.EqualTo("paid"));
    }

    static async Task RefundAsync(string orderNo, long amountFen)
    {
        using var admin = Api.CreateAdminClient();
        var before = await Api.ScalarAsync<long>("SELECT refunded_fen FROM orders WHERE order_no = @orderNo", new { orderNo });
        var created = await admin.PostAsJsonAsync($"/admin/orders/{orderNo}/refunds", new { amountFen, reason = "returned", returnStock = false });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var refunded = await Eventually.MatchAsync(() => Api.ScalarAsync<long>("SELECT refunded_fen FROM orders WHERE order_no = @orderNo", new { orderNo }),
            f => f == before + amountFen, 15_000);
        Assert.That(refunded, Is.EqualTo(before + amountFen), "the refund notification was applied");
    }

    [Test]
    public async Task Order_OfAFlashSaleProduct_NoCouponApplies_EvenScopeAll()
    {
        var s = await SetUpAsync(10_000, Template(amountOffFen: 1_500));
        using var _ = s.Shopper;
        // The catalog's one flash-sale flag (docs/flash-sale.md): coupons never cover these products.
        await Api.ScalarAsync<int>("UPDATE catalog_products p JOIN catalog_skus s ON s.product_id = p.id SET p.flash_sale = TRUE WHERE s.id = @sku",
            new { sku = s.SkuId });

        var response = await OrderAsync(s, s.CouponId);
        var json = await ReadAsync(response);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), json.ToString());
            Assert.That(json.GetProperty("code").GetString(), Is.EqualTo("COUPON_NOT_APPLICABLE"));
            Assert.That(await CouponStatusAsync(Api, s.CouponId), Is.EqualTo("available"), "the coupon stays in the wallet");
        });
    }

    [Test]
    public async Task Order_WithACoupon_TakesItsDiscount_LocksIt_AndPaymentUsesIt()
    {
        var s = await SetUpAsync(10_000, Template(amountOffFen: 1_500, thresholdFen: 8_000));
        using var _ = s.Shopper;
        var order = await PlaceOkAsync(s, s.CouponId);
        var locked = await CouponStatusAsync(Api, s.CouponId);
        var orderNo = order.GetProperty("orderNo").GetString()!;
        await PayAsync(s.Shopper, orderNo);

        Assert.Multiple(async () =>
        {
            Assert.That(order.GetProperty("couponFen").GetInt64(), Is.EqualTo(1_500));
            Assert.That(order.GetProperty("payableFen").GetInt64(), Is.EqualTo(8_500));
            Assert.That(order.GetProperty("lines")[0].GetProperty("paidFen").GetInt64(), Is.EqualTo(8_500));
            Assert.That(locked, Is.EqualTo("locked"));
            Assert.That(await CouponStatusAsync(Api, s.CouponId), Is.EqualTo("used"));
            Assert.That(await Api.ScalarAsync<string>("SELECT order_no FROM member_coupons WHERE id = @CouponId", s), Is.EqualTo(orderNo));
        });
    }

    [Test]
    public async Task SameCoupon_OnTwoConcurrentOrders_OneOrderGetsIt()
    {
        var s = await SetUpAsync(10_000, Template(amountOffFen: 1_000));
        using var _ = s.Shopper;
        var both = await Task.WhenAll(OrderAsync(s, s.CouponId), OrderAsync(s, s.CouponId));
        var loser = both.Single(r => r.StatusCode != HttpStatusCode.Created);

        Assert.Multiple(async () =>
        {
            Assert.That(both.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(1));
            Assert.That(loser.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await ReadAsync(loser)).GetProperty("code").GetString(), Is.EqualTo("COUPON_NOT_AVAILABLE"));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM orders WHERE member_id = @MemberId AND coupon_fen > 0", s.Shopper), Is.EqualTo(1));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM orders WHERE member_id = @MemberId", s.Shopper), Is.EqualTo(1),
                "the refused order rolled back whole (its stock too)");
        });
    }

    [Test]
    public async Task Cancel_ReturnsTheCoupon_WhichAnotherOrderCanUse()
    {
        var s = await SetUpAsync(10_000, Template(amountOffFen: 1_000));
        using var _ = s.Shopper;
        var orderNo = (await PlaceOkAsync(s, s.CouponId)).GetProperty("orderNo").GetString()!;
        var cancel = await s.Shopper.Client.PostAsync($"/api/orders/{orderNo}/cancel", null);
        var returned = await CouponStatusAsync(Api, s.CouponId);
        var again = await PlaceOkAsync(s, s.CouponId);

        Assert.Multiple(() =>
        {
            Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(returned, Is.EqualTo("available"));
            Assert.That(again.GetProperty("couponFen").GetInt64(), Is.EqualTo(1_000));
        });
    }

    [Test]
    public async Task Expiry_ReturnsTheCoupon()
    {
        var s = await SetUpAsync(10_000, Template(amountOffFen: 1_000));
        using var _ = s.Shopper;
        var orderNo = (await PlaceOkAsync(s, s.CouponId)).GetProperty("orderNo").GetString()!;
        var id = await Api.ScalarAsync<long>("SELECT id FROM orders WHERE order_no = @orderNo", new { orderNo });
        await PayTestData.ExpireAsync(new TestOrder(id, orderNo, s.SkuId, 1, 9_000), Api);

        Assert.That(await CouponStatusAsync(Api, s.CouponId), Is.EqualTo("available"));
    }

    [Test]
    public async Task FullRefund_ReturnsTheCoupon()
    {
        var s = await SetUpAsync(10_000, Template(amountOffFen: 1_000));
        using var _ = s.Shopper;
        var orderNo = (await PlaceOkAsync(s, s.CouponId)).GetProperty("orderNo").GetString()!;
        await PayAsync(s.Shopper, orderNo);
        await RefundAsync(orderNo, 4_000);
        var afterPartial = await CouponStatusAsync(Api, s.CouponId);
        await RefundAsync(orderNo, 5_000);

        Assert.Multiple(async () =>
        {
            Assert.That(afterPartial, Is.EqualTo("used"), "the first refund was partial");
            Assert.That(await CouponStatusAsync(Api, s.CouponId), Is.EqualTo("available"), "the refund that completes it returns the coupon");
        });
    }

    [Test]
    public async Task PartialRefund_KeepsTheCouponUsed()
    {
        var s = await SetUpAsync(10_000, Template(amountOffFen: 1_000));
        using var _ = s.Shopper;
        var orderNo = (await PlaceOkAsync(s, s.CouponId)).GetProperty("orderNo").GetString()!;
        await PayAsync(s.Shopper, orderNo);
        await RefundAsync(orderNo, 8_999);

        Assert.Multiple(async () =>
        {
            Assert.That(await Api.ScalarAsync<string>("SELECT refund_state FROM orders WHERE order_no = @orderNo", new { orderNo }), Is.EqualTo("partially_refunded"));
            Assert.That(await CouponStatusAsync(Api, s.CouponId), Is.EqualTo("used"));
        });
    }

    [Test]
    public async Task HugeCoupon_WithPoints_LeavesAPayableOf1Fen_AndTheLineSharesSumToIt()
    {
        var shopper = await PayTestData.LoginAsync(Api, Sandbox);
        using var _ = shopper;
        var address = (await ReadAsync(await shopper.Client.PostAsJsonAsync("/api/me/addresses", new
        {
            recipient = "张三", phone = "13812345678", province = "浙江省", city = "杭州市", district = "西湖区", detail = "龙井路 1 号",
        }))).GetProperty("id").GetInt64();
        using var admin = Api.CreateAdminClient();
        var category = await CatalogTestData.NewCategoryAsync(admin);
        var product = await CatalogTestData.NewProductAsync(admin, CatalogTestData.Product(category, null, true,
            CatalogTestData.Sku("a", "1", 333, 50), CatalogTestData.Sku("b", "2", 1_001, 50), CatalogTestData.Sku("c", "3", 7, 50)));
        var skus = product.GetProperty("skus").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()).ToArray();
        var couponId = await ClaimAsync(new OfferMember(shopper.MemberId, shopper.Client), await NewTemplateAsync(Api, Template(amountOffFen: 1_000_000)));
        await PayTestData.GivePointsAsync(shopper, 10_000, Api);

        var response = await shopper.Client.PostAsJsonAsync("/api/orders", new
        {
            lines = new[] { new { skuId = skus[0], quantity = 3 }, new { skuId = skus[1], quantity = 1 }, new { skuId = skus[2], quantity = 2 } },
            addressId = address, pointsToUse = 10_000, memberCouponId = couponId,
        });
        var order = await ReadAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), order.ToString());
            Assert.That(order.GetProperty("goodsFen").GetInt64(), Is.EqualTo(3 * 333 + 1_001 + 2 * 7));
            Assert.That(order.GetProperty("couponFen").GetInt64(), Is.EqualTo(3 * 333 + 1_001 + 2 * 7 - 1), "the coupon leaves 1 fen");
            Assert.That(order.GetProperty("pointsUsed").GetInt64(), Is.Zero, "nothing left for points to pay");
            Assert.That(order.GetProperty("payableFen").GetInt64(), Is.EqualTo(1));
            Assert.That(order.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("paidFen").GetInt64()), Is.EqualTo(1));
            Assert.That(order.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("paidFen").GetInt64()), Is.All.GreaterThanOrEqualTo(0));
        });
    }

    [Test]
    public async Task ScopedPercentCoupon_DiscountsOnlyItsProduct_SharesSumToThePayable_QuoteShowsTheBestCoupon()
    {
        var shopper = await PayTestData.LoginAsync(Api, Sandbox);
        using var _ = shopper;
        var member = new OfferMember(shopper.MemberId, shopper.Client);
        var address = (await ReadAsync(await shopper.Client.PostAsJsonAsync("/api/me/addresses", new
        {
            recipient = "张三", phone = "13812345678", province = "浙江省", city = "杭州市", district = "西湖区", detail = "龙井路 1 号",
        }))).GetProperty("id").GetInt64();
        var teaSku = await PayTestData.NewSkuAsync(stock: 10, priceFen: 10_001, api: Api);
        var cupSku = await PayTestData.NewSkuAsync(stock: 10, priceFen: 2_999, api: Api);
        var teaProduct = await Api.ScalarAsync<long>("SELECT product_id FROM catalog_skus WHERE id = @teaSku", new { teaSku });
        var percent = Template();
        percent["kind"] = "percent_off";
        percent["amountOffFen"] = 0;
        percent["percentOff"] = 15;
        percent["maxDiscountFen"] = 5_000;
        percent["scope"] = "products";
        percent["scopeIds"] = new[] { teaProduct };
        var percentCoupon = await ClaimAsync(member, await NewTemplateAsync(Api, percent));
        await ClaimAsync(member, await NewTemplateAsync(Api, Template(amountOffFen: 800)));
        var lines = new[] { new { skuId = teaSku, quantity = 1 }, new { skuId = cupSku, quantity = 1 } };

        var quote = await ReadAsync(await shopper.Client.PostAsJsonAsync("/api/orders/quote", new { lines, pointsToUse = 0 }));
        var placed = await shopper.Client.PostAsJsonAsync("/api/orders", new { lines, addressId = address, pointsToUse = 0, memberCouponId = percentCoupon });
        var order = await ReadAsync(placed);
        var paid = order.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("skuId").GetInt64(), l => l.GetProperty("paidFen").GetInt64());

        Assert.Multiple(() =>
        {
            Assert.That(quote.GetProperty("coupon").GetProperty("memberCouponId").GetInt64(), Is.EqualTo(percentCoupon), "15 % of 10,001 beats 800 off");
            Assert.That(quote.GetProperty("couponFen").GetInt64(), Is.EqualTo(1_500));
            Assert.That(quote.GetProperty("applicableCoupons").GetArrayLength(), Is.EqualTo(2));
            Assert.That(quote.GetProperty("payableFen").GetInt64(), Is.EqualTo(10_001 + 2_999 - 1_500));
            Assert.That(placed.StatusCode, Is.EqualTo(HttpStatusCode.Created), order.ToString());
            Assert.That(order.GetProperty("payableFen").GetInt64(), Is.EqualTo(quote.GetProperty("payableFen").GetInt64()), "the order charges what the quote said");
            Assert.That(paid[teaSku] + paid[cupSku], Is.EqualTo(11_500));
            Assert.That(paid[cupSku], Is.EqualTo(2_999), "the cup is outside the coupon's scope: it pays its full price");
        });
    }
}
