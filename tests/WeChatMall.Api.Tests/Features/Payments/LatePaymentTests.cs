using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Payments.PayTestData;

namespace WeChatMall.Api.Tests.Features.Payments;

/// <summary>The shopper pays after our expiry cancelled the order and gave its stock back.</summary>
public sealed class LatePaymentTests
{
    static ApiFactory Api => PaymentsEnvironment.Api;

    [Test]
    public async Task PaidAfterExpiry_StockStillThere_OrderRevivedAndStockTakenAgain()
    {
        using var shopper = await LoginAsync();
        var sku = await NewSkuAsync(stock: 10, priceFen: 1_000);
        var order = await NewOrderAsync(shopper, payableFen: 3_000, quantity: 3, skuId: sku); // 7 left
        (await PayAsync(shopper, order.OrderNo)).EnsureSuccessStatusCode();
        await CloseFailsAsync(order.OrderNo, outboxAttempts: 2); // the shopper pays before our close reaches WeChat Pay
        await ExpireAsync(order); // stock back to 10

        await SandboxPaysAsync(order.OrderNo);
        var status = await WaitForStatusAsync(order.OrderNo, "paid");

        Assert.Multiple(async () =>
        {
            Assert.That(status, Is.EqualTo("paid"));
            Assert.That(await Api.ScalarAsync<int>("SELECT stock FROM catalog_skus WHERE id = @sku", new { sku }), Is.EqualTo(7));
            Assert.That(await Api.ScalarAsync<bool>("SELECT revived_at = paid_at FROM orders WHERE id = @Id", order), Is.True, "revived when paid");
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", shopper), Is.EqualTo(30));
            Assert.That(await Api.ScalarAsync<string>("SELECT outcome FROM pay_notifications WHERE out_trade_no = @OrderNo", order), Is.EqualTo("late"));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM order_refunds WHERE order_id = @Id", order), Is.Zero);
        });
    }

    [Test]
    public async Task PaidAfterExpiry_StockSoldMeanwhile_RefundedInFullAutomatically()
    {
        using var shopper = await LoginAsync();
        var sku = await NewSkuAsync(stock: 2, priceFen: 2_200);
        var order = await NewOrderAsync(shopper, payableFen: 4_400, quantity: 2, skuId: sku); // 0 left
        (await PayAsync(shopper, order.OrderNo)).EnsureSuccessStatusCode();
        await CloseFailsAsync(order.OrderNo, outboxAttempts: 2);
        await ExpireAsync(order); // 2 left
        using var other = await LoginAsync();
        await NewOrderAsync(other, payableFen: 2_200, quantity: 1, skuId: sku); // someone else takes one: 1 left

        await SandboxPaysAsync(order.OrderNo);
        var state = await WaitForRefundStateAsync(order.OrderNo, "refunded");

        var refund = await Api.RowAsync("SELECT amount_fen, status, source, refund_id FROM order_refunds WHERE order_id = @Id", order);
        Assert.Multiple(async () =>
        {
            Assert.That(state, Is.EqualTo("refunded"));
            Assert.That(await StatusAsync(order.OrderNo), Is.EqualTo("cancelled"), "it stays cancelled: never paid in our books");
            Assert.That((long)refund!.amount_fen, Is.EqualTo(4_400));
            Assert.That((string)refund.status, Is.EqualTo("succeeded"));
            Assert.That((string)refund.source, Is.EqualTo("late_payment"));
            Assert.That((string)refund.refund_id, Is.Not.Null.And.Not.Empty);
            Assert.That(await Api.ScalarAsync<long>("SELECT refunded_fen FROM orders WHERE id = @Id", order), Is.EqualTo(4_400));
            Assert.That(await Api.ScalarAsync<int>("SELECT stock FROM catalog_skus WHERE id = @sku", new { sku }), Is.EqualTo(1), "untouched");
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", shopper), Is.Zero, "never paid in our books");
            Assert.That(await Api.QueryAsync<string>("SELECT to_status FROM order_events WHERE order_id = @Id ORDER BY id", order),
                Is.EqualTo(new[] { "pending_payment", "cancelled", "cancelled", "refunded" }),
                "placed, expired, the late payment noted on the cancelled order, then the money back");
        });
    }

    [Test]
    public async Task PaidAfterExpiry_PointsSpentMeanwhile_StockUntouchedAndRefunded()
    {
        using var shopper = await LoginAsync();
        var sku = await NewSkuAsync(stock: 5, priceFen: 2_300);
        await GivePointsAsync(shopper, 300);
        var order = await NewOrderAsync(shopper, payableFen: 2_000, quantity: 1, skuId: sku, pointsToUse: 300); // 4 left, balance 0
        (await PayAsync(shopper, order.OrderNo)).EnsureSuccessStatusCode();
        await CloseFailsAsync(order.OrderNo, outboxAttempts: 2);
        await ExpireAsync(order); // stock back to 5; the 300 points went back too...
        await NewOrderAsync(shopper, payableFen: 700, pointsToUse: 300); // ...and the shopper spent them elsewhere (balance 0)

        await SandboxPaysAsync(order.OrderNo);
        var state = await WaitForRefundStateAsync(order.OrderNo, "refunded");

        Assert.Multiple(async () =>
        {
            Assert.That(state, Is.EqualTo("refunded"));
            Assert.That(await Api.ScalarAsync<int>("SELECT stock FROM catalog_skus WHERE id = @sku", new { sku }), Is.EqualTo(5),
                "the stock re-taken for the revival was given back when the points could not be");
            Assert.That(await Api.ScalarAsync<DateTime?>("SELECT revived_at FROM orders WHERE id = @Id", order), Is.Null);
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", shopper), Is.Zero,
                "the points went to the other order; the refunded one neither took them again nor earned any");
            Assert.That(await Api.ScalarAsync<long>("SELECT points_earned FROM orders WHERE id = @Id", order), Is.Zero);
        });
    }
}
