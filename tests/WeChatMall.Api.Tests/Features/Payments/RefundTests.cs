using System.Net;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Payments.PayTestData;

namespace WeChatMall.Api.Tests.Features.Payments;

public sealed class RefundTests
{
    static ApiFactory Api => PaymentsEnvironment.Api;

    static async Task<(Shopper Shopper, TestOrder Order)> PaidOrderAsync(long payableFen, long? skuId = null, int quantity = 1, long pointsUsed = 0)
    {
        var shopper = await LoginAsync();
        if (pointsUsed > 0) await GivePointsAsync(shopper, pointsUsed); // the order redeems them
        var order = await NewOrderAsync(shopper, payableFen, quantity, skuId, pointsUsed);
        (await PayAsync(shopper, order.OrderNo)).EnsureSuccessStatusCode();
        await SandboxPaysAsync(order.OrderNo);
        await WaitForStatusAsync(order.OrderNo, "paid");
        return (shopper, order);
    }

    static async Task<HttpResponseMessage> RefundAsync(string orderNo, long amountFen, bool returnStock = false)
    {
        using var admin = Api.CreateAdminClient();
        return await admin.PostAsJsonAsync($"/admin/orders/{orderNo}/refunds", new { amountFen, reason = "damaged", returnStock });
    }

    [Test]
    public async Task FullRefund_WithStock_RefundNotifyMarksRefunded_PointsReversedAndStockReturned()
    {
        var sku = await NewSkuAsync(stock: 7, priceFen: 4_000);
        var (shopper, order) = await PaidOrderAsync(8_000, sku, quantity: 2); // 5 left
        using var _ = shopper;

        var created = await RefundAsync(order.OrderNo, 8_000, returnStock: true);
        var body = await ReadAsync(created);
        var state = await WaitForRefundStateAsync(order.OrderNo, "refunded");

        Assert.Multiple(async () =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToString());
            Assert.That(body.GetProperty("outRefundNo").GetString(), Is.EqualTo(order.OrderNo + "-R1"));
            Assert.That(state, Is.EqualTo("refunded"));
            Assert.That(await StatusAsync(order.OrderNo), Is.EqualTo("paid"), "fulfilment is its own state; a fully refunded order never ships");
            Assert.That(await Api.ScalarAsync<long>("SELECT refunded_fen FROM orders WHERE id = @Id", order), Is.EqualTo(8_000));
            Assert.That(await Api.ScalarAsync<string>("SELECT status FROM order_refunds WHERE order_id = @Id", order), Is.EqualTo("succeeded"));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", shopper), Is.Zero, "80 earned, 80 reversed");
            Assert.That(await Api.ScalarAsync<int>("SELECT stock FROM catalog_skus WHERE id = @sku", new { sku }), Is.EqualTo(7));
            Assert.That(await Api.ScalarAsync<string>(
                "SELECT outcome FROM pay_notifications WHERE out_refund_no = @no", new { no = order.OrderNo + "-R1" }), Is.EqualTo("applied"));
        });
    }

    [Test]
    public async Task PartialRefunds_TwoInARow_RefundedFenAddsUp_AndMoreThanRemainingIs409()
    {
        var (shopper, order) = await PaidOrderAsync(10_000);
        using var _ = shopper;

        (await RefundAsync(order.OrderNo, 3_000)).EnsureSuccessStatusCode();
        await WaitForRefundStateAsync(order.OrderNo, "partially_refunded");
        (await RefundAsync(order.OrderNo, 2_000)).EnsureSuccessStatusCode();
        await Eventually.MatchAsync(() => Api.ScalarAsync<long>("SELECT refunded_fen FROM orders WHERE id = @Id", order), f => f == 5_000);
        var tooMuch = await RefundAsync(order.OrderNo, 5_001);

        Assert.Multiple(async () =>
        {
            Assert.That(await StatusAsync(order.OrderNo), Is.EqualTo("paid"));
            Assert.That(await RefundStateAsync(order.OrderNo), Is.EqualTo("partially_refunded"));
            Assert.That(await Api.ScalarAsync<long>("SELECT refunded_fen FROM orders WHERE id = @Id", order), Is.EqualTo(5_000));
            Assert.That(tooMuch.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await ReadAsync(tooMuch)).GetProperty("code").GetString(), Is.EqualTo("REFUND_EXCEEDS_REMAINING"));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", shopper), Is.EqualTo(50),
                "100 earned; 30 and 20 reversed in proportion");
            Assert.That(await Api.QueryAsync<string>("SELECT to_status FROM order_events WHERE order_id = @Id ORDER BY id", order),
                Is.EqualTo(new[] { "pending_payment", "paid", "partially_refunded", "partially_refunded" }));
        });
    }

    [Test]
    public async Task ShopperRequest_AdminApproves_FullRefundReturnsRedeemedPoints()
    {
        var (shopper, order) = await PaidOrderAsync(6_000, pointsUsed: 500);
        using var _ = shopper;

        var requested = await shopper.Client.PostAsJsonAsync($"/api/orders/{order.OrderNo}/refund-requests", new { reason = "changed my mind" });
        var outRefundNo = (await ReadAsync(requested)).GetProperty("outRefundNo").GetString();
        var again = await shopper.Client.PostAsJsonAsync($"/api/orders/{order.OrderNo}/refund-requests", new { reason = "again" });
        var statusWhileRequested = await StatusAsync(order.OrderNo);
        using var admin = Api.CreateAdminClient();
        var approved = await admin.PostAsJsonAsync($"/admin/orders/{order.OrderNo}/refunds/{outRefundNo}/approve", new { returnStock = false });
        var state = await WaitForRefundStateAsync(order.OrderNo, "refunded");

        Assert.Multiple(async () =>
        {
            Assert.That(requested.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(statusWhileRequested, Is.EqualTo("paid"));
            Assert.That(approved.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(state, Is.EqualTo("refunded"));
            Assert.That(await Api.ScalarAsync<long>("SELECT refunded_fen FROM orders WHERE id = @Id", order), Is.EqualTo(6_000));
            // 60 earned then reversed; the 500 redeemed come back on a full refund.
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", shopper), Is.EqualTo(500));
        });
    }

    [Test]
    public async Task ShopperRequest_ForAnotherMembersOrder_Is404_AndAdminRejectLeavesOrderPaid()
    {
        var (shopper, order) = await PaidOrderAsync(1_000);
        using var _ = shopper;
        using var other = await LoginAsync();

        var foreign = await other.Client.PostAsJsonAsync($"/api/orders/{order.OrderNo}/refund-requests", new { reason = "mine now" });
        var requested = await shopper.Client.PostAsJsonAsync($"/api/orders/{order.OrderNo}/refund-requests", new { reason = "late" });
        var outRefundNo = (await ReadAsync(requested)).GetProperty("outRefundNo").GetString();
        using var admin = Api.CreateAdminClient();
        var rejected = await admin.PostAsJsonAsync($"/admin/orders/{order.OrderNo}/refunds/{outRefundNo}/reject", new { note = "used" });

        Assert.Multiple(async () =>
        {
            Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await StatusAsync(order.OrderNo), Is.EqualTo("paid"));
            Assert.That(await Api.ScalarAsync<string>("SELECT status FROM order_refunds WHERE out_refund_no = @outRefundNo", new { outRefundNo }),
                Is.EqualTo("rejected"));
        });
    }
}
