using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Payments.PayTestData;

namespace WeChatMall.Api.Tests.Features.Payments;

/// <summary>
/// Fulfilment and money-back are two machines: a partial refund does not stop shipping; a refund WeChat Pay closes or
/// marks abnormal has a way out (retry under the same out_refund_no, or settled offline by an operator, audited);
/// a refund naming lines returns exactly those quantities to stock.
/// </summary>
public sealed class RefundStateMachineTests
{
    static ApiFactory Api => PaymentsEnvironment.Api;
    static SandboxHost Sandbox => PaymentsEnvironment.Sandbox;

    static async Task<(Shopper Shopper, TestOrder Order)> PaidOrderAsync(long payableFen)
    {
        var shopper = await LoginAsync();
        var order = await NewOrderAsync(shopper, payableFen);
        (await PayAsync(shopper, order.OrderNo)).EnsureSuccessStatusCode();
        await SandboxPaysAsync(order.OrderNo);
        await WaitForStatusAsync(order.OrderNo, "paid");
        return (shopper, order);
    }

    static async Task<HttpResponseMessage> AdminPostAsync(string path, object body)
    {
        using var admin = Api.CreateAdminClient();
        return await admin.PostAsJsonAsync(path, body);
    }

    static Task<string> RefundStatusAsync(string outRefundNo, string status)
        => Eventually.MatchAsync(() => Api.ScalarAsync<string>("SELECT status FROM order_refunds WHERE out_refund_no = @outRefundNo", new { outRefundNo }),
            s => s == status, 15_000);

    static Task ArmAsync(string outRefundNo, string status)
        => Sandbox.Client.PostAsJsonAsync($"/sandbox/pay/refunds/{outRefundNo}/outcome", new { status });

    [Test]
    public async Task PartialRefundBeforeShipping_OrderStillShipsToWeChat_AndCompletes()
    {
        var (shopper, order) = await PaidOrderAsync(10_000);
        using var _ = shopper;

        var refunded = await AdminPostAsync($"/admin/orders/{order.OrderNo}/refunds", new { amountFen = 100, reason = "price adjustment" });
        var state = await WaitForRefundStateAsync(order.OrderNo, "partially_refunded");
        var shipped = await AdminPostAsync($"/admin/orders/{order.OrderNo}/ship", new { carrier = "SF", trackingNo = "SF" + order.Id });
        var transactionId = await Api.ScalarAsync<string>("SELECT transaction_id FROM orders WHERE id = @Id", order);
        var uploads = await Eventually.MatchAsync(async () =>
            (await Sandbox.Client.GetFromJsonAsync<JsonElement[]>("/sandbox/calls?route=/wxa/sec/order/upload_shipping_info"))!
                .Where(c => c.GetProperty("body").GetString()!.Contains(transactionId, StringComparison.Ordinal)).ToArray(),
            calls => calls.Length > 0, 15_000);
        var confirmed = await shopper.Client.PostAsync($"/api/orders/{order.OrderNo}/confirm-receipt", null);
        var detail = await ReadAsync(await shopper.Client.GetAsync($"/api/orders/{order.OrderNo}"));

        Assert.Multiple(async () =>
        {
            Assert.That(refunded.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(state, Is.EqualTo("partially_refunded"));
            Assert.That(shipped.StatusCode, Is.EqualTo(HttpStatusCode.OK), await shipped.Content.ReadAsStringAsync());
            Assert.That(uploads, Has.Length.EqualTo(1), "upload_shipping_info reached WeChat");
            Assert.That(confirmed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(detail.GetProperty("status").GetString(), Is.EqualTo("completed"));
            Assert.That(detail.GetProperty("refundState").GetString(), Is.EqualTo("partially_refunded"));
            Assert.That(detail.GetProperty("refundedFen").GetInt64(), Is.EqualTo(100));
        });
    }

    [Test]
    public async Task RefundClosedByWeChatPay_RetriedWithTheSameOutRefundNo_Succeeds()
    {
        var (shopper, order) = await PaidOrderAsync(5_000);
        using var _ = shopper;
        var outRefundNo = order.OrderNo + "-R1";
        await ArmAsync(outRefundNo, "CLOSED");

        var created = await AdminPostAsync($"/admin/orders/{order.OrderNo}/refunds", new { amountFen = 5_000, reason = "out of stock" });
        var closed = await RefundStatusAsync(outRefundNo, "closed");
        var stateWhileClosed = await RefundStateAsync(order.OrderNo);
        var retried = await AdminPostAsync($"/admin/orders/{order.OrderNo}/refunds/{outRefundNo}/retry", new { @operator = "li", note = "WeChat Pay closed it" });
        var state = await WaitForRefundStateAsync(order.OrderNo, "refunded");
        var again = await AdminPostAsync($"/admin/orders/{order.OrderNo}/refunds/{outRefundNo}/retry", new { @operator = "li" });

        Assert.Multiple(async () =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(closed, Is.EqualTo("closed"));
            Assert.That(stateWhileClosed, Is.EqualTo("none"), "no money went back while closed");
            Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.Created), await retried.Content.ReadAsStringAsync());
            Assert.That((await ReadAsync(retried)).GetProperty("outRefundNo").GetString(), Is.EqualTo(outRefundNo));
            Assert.That(state, Is.EqualTo("refunded"));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM order_refunds WHERE order_id = @Id", order), Is.EqualTo(1), "the same refund, not a second one");
            Assert.That(await Api.ScalarAsync<string>("SELECT status FROM order_refunds WHERE out_refund_no = @outRefundNo", new { outRefundNo }), Is.EqualTo("succeeded"));
            Assert.That(await Api.ScalarAsync<long>("SELECT refunded_fen FROM orders WHERE id = @Id", order), Is.EqualTo(5_000));
            Assert.That(await Api.QueryAsync<string>("""
                SELECT e.to_status FROM refund_events e JOIN order_refunds r ON r.id = e.refund_id WHERE r.out_refund_no = @outRefundNo ORDER BY e.id
                """, new { outRefundNo }), Is.EqualTo(new[] { "processing", "closed", "processing", "succeeded" }));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await ReadAsync(again)).GetProperty("code").GetString(), Is.EqualTo("REFUND_NOT_STUCK"));
        });
    }

    [Test]
    public async Task RefundAbnormalAtWeChatPay_SettledOfflineByAnOperator_IsAuditedAndEndsTheUnshippedOrder()
    {
        var (shopper, order) = await PaidOrderAsync(3_000);
        using var _ = shopper;
        var outRefundNo = order.OrderNo + "-R1";
        await ArmAsync(outRefundNo, "ABNORMAL");

        (await AdminPostAsync($"/admin/orders/{order.OrderNo}/refunds", new { amountFen = 3_000, reason = "damaged" })).EnsureSuccessStatusCode();
        var abnormal = await RefundStatusAsync(outRefundNo, "abnormal");
        using var admin = Api.CreateAdminClient();
        var stuck = await admin.GetFromJsonAsync<JsonElement[]>("/admin/refunds?status=stuck");
        var noNote = await AdminPostAsync($"/admin/orders/{order.OrderNo}/refunds/{outRefundNo}/settle-offline", new { @operator = "wang" });
        var settled = await AdminPostAsync($"/admin/orders/{order.OrderNo}/refunds/{outRefundNo}/settle-offline",
            new { @operator = "wang", note = "card closed; bank transfer ref 20261206-17" });
        var audit = await Api.RowAsync("""
            SELECT e.from_status, e.to_status, e.actor, e.note, e.created_at FROM refund_events e JOIN order_refunds r ON r.id = e.refund_id
            WHERE r.out_refund_no = @outRefundNo ORDER BY e.id DESC LIMIT 1
            """, new { outRefundNo });
        var ship = await AdminPostAsync($"/admin/orders/{order.OrderNo}/ship", new { carrier = "SF", trackingNo = "SF" + order.Id });

        Assert.Multiple(async () =>
        {
            Assert.That(abnormal, Is.EqualTo("abnormal"));
            Assert.That(stuck!.Select(r => r.GetProperty("outRefundNo").GetString()), Does.Contain(outRefundNo), "operators find stuck refunds");
            Assert.That(noNote.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(settled.StatusCode, Is.EqualTo(HttpStatusCode.OK), await settled.Content.ReadAsStringAsync());
            Assert.That((await ReadAsync(settled)).GetProperty("status").GetString(), Is.EqualTo("settled_offline"));
            Assert.That((string)audit!.from_status, Is.EqualTo("abnormal"));
            Assert.That((string)audit.to_status, Is.EqualTo("settled_offline"));
            Assert.That((string)audit.actor, Is.EqualTo("admin:wang"));
            Assert.That((string)audit.note, Is.EqualTo("card closed; bank transfer ref 20261206-17"));
            Assert.That((DateTime)audit.created_at, Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(5)));
            Assert.That(await RefundStateAsync(order.OrderNo), Is.EqualTo("refunded"));
            Assert.That(await Api.ScalarAsync<long>("SELECT refunded_fen FROM orders WHERE id = @Id", order), Is.EqualTo(3_000));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", shopper), Is.Zero, "30 earned, 30 reversed");
            Assert.That(ship.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a fully refunded unshipped order ends");
            Assert.That((await ReadAsync(ship)).GetProperty("code").GetString(), Is.EqualTo("ORDER_NOT_SHIPPABLE"));
        });
    }

    [Test]
    public async Task LineLevelRefund_ReturnsExactlyItsQuantitiesToStock()
    {
        var skuA = await NewSkuAsync(stock: 10, priceFen: 3_000);
        var skuB = await NewSkuAsync(stock: 10, priceFen: 1_000);
        using var shopper = await LoginAsync();
        var address = await ReadAsync(await shopper.Client.PostAsJsonAsync("/api/me/addresses", new
        {
            recipient = "张三", phone = "13812345678", province = "浙江省", city = "杭州市", district = "西湖区", detail = "龙井路 1 号",
        }));
        var placed = await shopper.Client.PostAsJsonAsync("/api/orders", new
        {
            lines = new[] { new { skuId = skuA, quantity = 3 }, new { skuId = skuB, quantity = 2 } }, addressId = address.GetProperty("id").GetInt64(),
        });
        Assert.That((int)placed.StatusCode, Is.EqualTo(201), await placed.Content.ReadAsStringAsync());
        var orderNo = (await ReadAsync(placed)).GetProperty("orderNo").GetString()!;
        var order = new { Id = await Api.ScalarAsync<long>("SELECT id FROM orders WHERE order_no = @orderNo", new { orderNo }), OrderNo = orderNo };
        (await PayAsync(shopper, order.OrderNo)).EnsureSuccessStatusCode();
        await SandboxPaysAsync(order.OrderNo);
        await WaitForStatusAsync(order.OrderNo, "paid"); // 7 of A and 8 of B left
        using var admin = Api.CreateAdminClient();
        var detail = await ReadAsync(await admin.GetAsync($"/admin/orders/{order.OrderNo}"));
        var lineB = detail.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("skuId").GetInt64() == skuB).GetProperty("id").GetInt64();

        // Another member's order line, named on this order's refund: refused, never taken back from their order.
        using var other = await LoginAsync();
        var otherAddress = await ReadAsync(await other.Client.PostAsJsonAsync("/api/me/addresses", new
        {
            recipient = "李四", phone = "13912345678", province = "浙江省", city = "杭州市", district = "西湖区", detail = "龙井路 2 号",
        }));
        var otherPlaced = await other.Client.PostAsJsonAsync("/api/orders", new
        {
            lines = new[] { new { skuId = skuB, quantity = 1 } }, addressId = otherAddress.GetProperty("id").GetInt64(),
        });
        Assert.That((int)otherPlaced.StatusCode, Is.EqualTo(201), await otherPlaced.Content.ReadAsStringAsync());
        var otherLine = await Api.ScalarAsync<long>("SELECT l.id FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.order_no = @no",
            new { no = (await ReadAsync(otherPlaced)).GetProperty("orderNo").GetString() });
        var foreignLine = await AdminPostAsync($"/admin/orders/{order.OrderNo}/refunds",
            new { amountFen = 1_000, reason = "returned", lines = new object[] { new { lineId = otherLine, quantity = 1 } } });

        var tooMany = await AdminPostAsync($"/admin/orders/{order.OrderNo}/refunds",
            new { amountFen = 1_000, reason = "returned", lines = new object[] { new { skuId = skuA, quantity = 4 } } });
        var created = await AdminPostAsync($"/admin/orders/{order.OrderNo}/refunds",
            new { amountFen = 4_000, reason = "returned", lines = new object[] { new { skuId = skuA, quantity = 1 }, new { lineId = lineB, quantity = 1 } } });
        await WaitForRefundStateAsync(order.OrderNo, "partially_refunded");

        Assert.Multiple(async () =>
        {
            Assert.That((int)foreignLine.StatusCode, Is.EqualTo(422), await foreignLine.Content.ReadAsStringAsync());
            Assert.That((await ReadAsync(foreignLine)).GetProperty("code").GetString(), Is.EqualTo("REFUND_LINE_NOT_FOUND"));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM order_refunds WHERE order_id = @Id", order), Is.EqualTo(1),
                "only the valid refund was created");
            Assert.That(tooMany.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await ReadAsync(tooMany)).GetProperty("code").GetString(), Is.EqualTo("REFUND_QUANTITY_EXCEEDS"));
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
            Assert.That(await Api.ScalarAsync<int>("SELECT stock FROM catalog_skus WHERE id = @skuA", new { skuA }), Is.EqualTo(8));
            Assert.That(await Api.ScalarAsync<int>("SELECT stock FROM catalog_skus WHERE id = @skuB", new { skuB }), Is.EqualTo(8),
                "8 left after both orders, one unit of B back from the refund, one held by the other member's unpaid order");
            Assert.That(await Api.QueryAsync<int>("SELECT refunded_quantity FROM order_lines WHERE order_id = @Id ORDER BY id", order),
                Is.EqualTo(new[] { 1, 1 }));
        });
    }
}
