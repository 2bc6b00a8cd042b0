using MySqlConnector;
using WeChatMall.Api.Features.Orders;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Orders.OrderTestData;

namespace WeChatMall.Api.Tests.Features.Orders;

/// <summary>The transitions OrderStatus allows are the only ones OrderTransitions performs.</summary>
public sealed class OrderStateMachineTests
{
    [TestCase(OrderStatus.PendingPayment, OrderStatus.Paid, true)]
    [TestCase(OrderStatus.PendingPayment, OrderStatus.Cancelled, true)]
    [TestCase(OrderStatus.Paid, OrderStatus.Shipped, true)]
    [TestCase(OrderStatus.Shipped, OrderStatus.Completed, true)]
    [TestCase(OrderStatus.Cancelled, OrderStatus.Paid, true)]
    [TestCase(OrderStatus.PendingPayment, OrderStatus.Shipped, false)]
    [TestCase(OrderStatus.Paid, OrderStatus.Cancelled, false)]
    [TestCase(OrderStatus.Completed, OrderStatus.Paid, false)]
    [TestCase(OrderStatus.Cancelled, OrderStatus.Shipped, false)]
    [TestCase(OrderStatus.Paid, "refunded", false)]
    [TestCase("unknown", OrderStatus.Paid, false)]
    public void CanMove_FollowsTheTable(string from, string to, bool allowed) =>
        Assert.That(OrderStatus.CanMove(from, to), Is.EqualTo(allowed));

    [TestCase(OrderRefundState.None, OrderRefundState.PartiallyRefunded, true)]
    [TestCase(OrderRefundState.None, OrderRefundState.Refunded, true)]
    [TestCase(OrderRefundState.PartiallyRefunded, OrderRefundState.PartiallyRefunded, true)]
    [TestCase(OrderRefundState.PartiallyRefunded, OrderRefundState.Refunded, true)]
    [TestCase(OrderRefundState.Refunded, OrderRefundState.PartiallyRefunded, false)]
    [TestCase(OrderRefundState.PartiallyRefunded, OrderRefundState.None, false)]
    public void RefundState_CanMove_FollowsTheTable(string from, string to, bool allowed) =>
        Assert.That(OrderRefundState.CanMove(from, to), Is.EqualTo(allowed));

    [Test]
    public async Task TryMove_AnIllegalTransition_Throws_AndALegalOneFromTheWrongState_MovesNothing()
    {
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(5, 1000);
        var orderNo = (await PlaceOkAsync(s, await NewAddressAsync(s), [(skus[0], 1)])).GetProperty("orderNo").GetString()!;
        var id = await OrdersEnvironment.Api.ScalarAsync<long>("SELECT id FROM orders WHERE order_no = @orderNo", new { orderNo });
        await using var c = new MySqlConnection(TestServers.MySqlFor(OrdersEnvironment.Api.Database));
        await c.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();

        Assert.That(() => OrderTransitions.TryMoveAsync(c, tx, id, [OrderStatus.PendingPayment], OrderStatus.Shipped, "test", null,
            DateTime.UtcNow, CancellationToken.None), Throws.InvalidOperationException);
        var moved = await OrderTransitions.TryMoveAsync(c, tx, id, [OrderStatus.Paid], OrderStatus.Shipped, "test", null,
            DateTime.UtcNow, CancellationToken.None);
        await tx.CommitAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(moved, Is.Null, "the order is pending_payment, not paid");
            Assert.That(await OrdersEnvironment.Api.ScalarAsync<string>("SELECT status FROM orders WHERE id = @id", new { id }),
                Is.EqualTo(OrderStatus.PendingPayment));
            Assert.That(await OrdersEnvironment.Api.ScalarAsync<long>("SELECT COUNT(*) FROM order_events WHERE order_id = @id", new { id }),
                Is.EqualTo(1), "only the placing event");
        });
    }
}
