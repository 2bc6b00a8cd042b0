using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.Features.Catalog;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Payments.PayTestData;

namespace WeChatMall.Api.Tests.Features.Payments;

/// <summary>The acceptance path, through every real endpoint: login → cart → order → pay → notification → paid.</summary>
public sealed class OrderToPaymentEndToEndTests
{
    static ApiFactory Api => PaymentsEnvironment.Api;
    static SandboxHost Sandbox => PaymentsEnvironment.Sandbox;

    [Test]
    public async Task LoginCartOrderPay_SandboxNotifies_PaidPointsMessage_AndFiveConcurrentRedeliveriesChangeNothing()
    {
        using var shopper = await LoginAsync();
        await AcceptPaidNoticeAsync(shopper); // at the pay tap, as the shop asks
        using var admin = Api.CreateAdminClient();
        var category = await CatalogTestData.NewCategoryAsync(admin);
        var product = await CatalogTestData.NewProductAsync(admin,
            CatalogTestData.Product(category, null, true, [CatalogTestData.Sku("e2e", "M", 6_800, 10)]));
        var skuId = product.GetProperty("skus")[0].GetProperty("id").GetInt64();
        var address = await shopper.Client.PostAsJsonAsync("/api/me/addresses", new
        {
            recipient = "张三", phone = "13812345678", province = "广东省", city = "深圳市", district = "南山区", detail = "科技园 1 号",
        });
        var addressId = (await ReadAsync(address)).GetProperty("id").GetInt64();
        var cart = await shopper.Client.PostAsJsonAsync("/api/cart/items", new { skuId, quantity = 2 });

        using var place = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(new { cartSkuIds = new[] { skuId }, addressId }),
        };
        place.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var placed = await shopper.Client.SendAsync(place);
        var order = await ReadAsync(placed);
        var orderNo = order.GetProperty("orderNo").GetString()!;
        var payable = await Api.ScalarAsync<long>("SELECT payable_fen FROM orders WHERE order_no = @orderNo", new { orderNo });

        var pay = await PayAsync(shopper, orderNo);
        var notificationId = await SandboxPaysAsync(orderNo);
        var status = await WaitForStatusAsync(orderNo, "paid");
        var messages = await Eventually.MatchAsync(
            () => Sandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/messages?openid={shopper.OpenId}"), m => m!.Length > 0);
        var redelivered = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            Sandbox.Client.PostAsync($"/sandbox/pay/notifications/{notificationId}/redeliver", null)));
        await Task.Delay(500);

        Assert.Multiple(async () =>
        {
            Assert.That((int)address.StatusCode, Is.EqualTo(201));
            Assert.That(cart.IsSuccessStatusCode, Is.True, await cart.Content.ReadAsStringAsync());
            Assert.That(placed.StatusCode, Is.EqualTo(HttpStatusCode.Created), order.ToString());
            Assert.That(pay.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(status, Is.EqualTo("paid"));
            Assert.That(payable, Is.EqualTo(13_600));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_earned FROM orders WHERE order_no = @orderNo", new { orderNo }), Is.EqualTo(136));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", shopper), Is.EqualTo(136));
            Assert.That(await Api.ScalarAsync<int>("SELECT stock FROM catalog_skus WHERE id = @skuId", new { skuId }), Is.EqualTo(8));
            Assert.That(redelivered.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM points_ledger WHERE reference = @orderNo", new { orderNo }), Is.EqualTo(1));
            Assert.That(await Api.QueryAsync<string>("SELECT outcome FROM pay_notifications WHERE out_trade_no = @orderNo ORDER BY id", new { orderNo }),
                Is.EqualTo(new[] { "applied", "duplicate", "duplicate", "duplicate", "duplicate", "duplicate" }));
            var after = await Sandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/messages?openid={shopper.OpenId}");
            Assert.That(messages!, Has.Length.EqualTo(1));
            Assert.That(after!, Has.Length.EqualTo(1));
            // The shopper's own order view (orders branch) shows the payment.
            var mine = await ReadAsync(await shopper.Client.GetAsync($"/api/orders/{orderNo}"));
            Assert.That(mine.GetProperty("status").GetString(), Is.EqualTo("paid"));
            Assert.That(mine.GetProperty("paidAt").GetString(), Does.EndWith("Z"), "times are UTC and say so");
        });
    }
}
