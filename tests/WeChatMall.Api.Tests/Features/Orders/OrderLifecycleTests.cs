using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Features.Orders;
using WeChatMall.Api.Infrastructure.Outbox;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Orders.OrderTestData;

namespace WeChatMall.Api.Tests.Features.Orders;

public sealed class OrderLifecycleTests
{
    static ApiFactory Api => OrdersEnvironment.Api;

    [Test]
    public async Task Cancel_ByShopper_ReturnsStockAndPoints_Once()
    {
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(5, 2000);
        await GiveAsync(s.MemberId, 300);
        var order = await PlaceOkAsync(s, await NewAddressAsync(s), [(skus[0], 2)], pointsToUse: 300);
        var no = order.GetProperty("orderNo").GetString();
        Assert.That(await StockAsync(skus[0]), Is.EqualTo(3));
        Assert.That(await BalanceAsync(s.MemberId), Is.EqualTo(0));

        var cancels = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => s.Client.PostAsync($"/api/orders/{no}/cancel", null)));

        Assert.Multiple(async () =>
        {
            Assert.That(cancels.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(1));
            Assert.That(cancels.Count(r => r.StatusCode == HttpStatusCode.Conflict), Is.EqualTo(2));
            Assert.That(await StockAsync(skus[0]), Is.EqualTo(5));
            Assert.That(await BalanceAsync(s.MemberId), Is.EqualTo(300));
            Assert.That(await Api.ScalarAsync<string>("SELECT status FROM orders WHERE order_no = @no", new { no }), Is.EqualTo("cancelled"));
            Assert.That(await Api.ScalarAsync<string>(
                "SELECT e.actor FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.order_no = @no AND e.to_status = 'cancelled'", new { no }),
                Is.EqualTo($"member:{s.MemberId}"));
            Assert.That(await Api.ScalarAsync<int>("SELECT COUNT(*) FROM outbox_messages WHERE idempotency_key = @k", new { k = $"pay.close_order:{no}" }), Is.Zero,
                "no prepay, nothing to close");
        });
    }

    [Test]
    public async Task ExpiryJob_CancelsOnlyExpiredUnpaid_ReturnsStockAndPoints_ClosesPrepay_OnceAcrossInstances()
    {
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(10, 1000);
        var address = await NewAddressAsync(s);
        await GiveAsync(s.MemberId, 200);
        var expired = (await PlaceOkAsync(s, address, [(skus[0], 3)], pointsToUse: 200)).GetProperty("orderNo").GetString();
        var fresh = (await PlaceOkAsync(s, address, [(skus[0], 1)])).GetProperty("orderNo").GetString();
        await Api.ScalarAsync<int>("UPDATE orders SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND, prepay_id = 'wx_prepay_1' WHERE order_no = @expired", new { expired });
        await using var sibling = Api.StartSibling();

        var runs = await Task.WhenAll(
            Api.Services.GetRequiredService<OrderJobs>().RunOnceAsync(CancellationToken.None),
            sibling.Services.GetRequiredService<OrderJobs>().RunOnceAsync(CancellationToken.None));

        Assert.Multiple(async () =>
        {
            Assert.That(runs.Sum(r => r.Cancelled), Is.EqualTo(1));
            Assert.That(await Api.ScalarAsync<string>("SELECT status FROM orders WHERE order_no = @expired", new { expired }), Is.EqualTo("cancelled"));
            Assert.That(await Api.ScalarAsync<string>("SELECT status FROM orders WHERE order_no = @fresh", new { fresh }), Is.EqualTo("pending_payment"));
            Assert.That(await StockAsync(skus[0]), Is.EqualTo(9));
            Assert.That(await BalanceAsync(s.MemberId), Is.EqualTo(200));
            Assert.That(await Api.ScalarAsync<int>(
                "SELECT COUNT(*) FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.order_no = @expired AND e.actor = 'expiry-job'", new { expired }), Is.EqualTo(1));
            var payload = await Api.ScalarAsync<string>("SELECT payload FROM outbox_messages WHERE kind = 'pay.close_order' AND idempotency_key = @k",
                new { k = $"pay.close_order:{expired}" });
            Assert.That(JsonDocument.Parse(payload).RootElement.GetProperty("orderNo").GetString(), Is.EqualTo(expired));
        });
    }

    [Test]
    public async Task Ship_QueuesUpload_SandboxReceivesShippingInfo_ThenConfirmReceiptCompletes()
    {
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(5, 2500);
        var order = await PlaceOkAsync(s, await NewAddressAsync(s, "13912345678"), [(skus[0], 2)]);
        var no = order.GetProperty("orderNo").GetString()!;
        using var admin = Api.CreateAdminClient();

        var early = await admin.PostAsJsonAsync($"/admin/orders/{no}/ship", new { carrier = "SF", trackingNo = "SF1234567890" });
        var earlyConfirm = await s.Client.PostAsync($"/api/orders/{no}/confirm-receipt", null);
        await MarkPaidAsync(no, "o_payer_ship", "4200000000000000777");
        var invalid = await admin.PostAsJsonAsync($"/admin/orders/{no}/ship", new { carrier = "", trackingNo = "x" });
        var shipped = await admin.PostAsJsonAsync($"/admin/orders/{no}/ship", new { carrier = "SF", trackingNo = "SF1234567890" });
        var twice = await admin.PostAsJsonAsync($"/admin/orders/{no}/ship", new { carrier = "SF", trackingNo = "SF1234567890" });
        await OrdersEnvironment.Sandbox.Client.DeleteAsync("/sandbox/calls");
        await Api.Services.GetRequiredService<OutboxWorker>().RunOnceAsync(CancellationToken.None);

        // Other tests' shipments may be sent in the same pass: keep this order's upload(s).
        var calls = (await OrdersEnvironment.Sandbox.Client.GetFromJsonAsync<JsonElement[]>("/sandbox/calls?route=/wxa/sec/order/upload_shipping_info"))!
            .Where(c => c.GetProperty("body").GetString()!.Contains("4200000000000000777", StringComparison.Ordinal)).ToArray();
        Assert.Multiple(async () =>
        {
            Assert.That(early.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await ReadAsync(early)).GetProperty("code").GetString(), Is.EqualTo("ORDER_NOT_SHIPPABLE"));
            Assert.That(earlyConfirm.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(shipped.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await ReadAsync(shipped)).GetProperty("trackingNo").GetString(), Is.EqualTo("SF1234567890"));
            Assert.That(twice.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(calls, Has.Length.EqualTo(1), string.Join("\n", calls.Select(c => c.ToString())));
            Assert.That(await Api.ScalarAsync<string>("SELECT status FROM outbox_messages WHERE idempotency_key = @k",
                new { k = $"wechat.upload_shipping:{no}" }), Is.EqualTo("sent"));
        });
        var call = calls[0];
        Assert.That(call.GetProperty("status").GetInt32(), Is.EqualTo(200));
        var body = JsonDocument.Parse(call.GetProperty("body").GetString()!).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("order_key").GetProperty("order_number_type").GetInt32(), Is.EqualTo(2));
            Assert.That(body.GetProperty("order_key").GetProperty("transaction_id").GetString(), Is.EqualTo("4200000000000000777"));
            Assert.That(body.GetProperty("logistics_type").GetInt32(), Is.EqualTo(1));
            Assert.That(body.GetProperty("delivery_mode").GetInt32(), Is.EqualTo(1));
            var item = body.GetProperty("shipping_list")[0];
            Assert.That(item.GetProperty("tracking_no").GetString(), Is.EqualTo("SF1234567890"));
            Assert.That(item.GetProperty("express_company").GetString(), Is.EqualTo("SF"));
            Assert.That(item.GetProperty("item_desc").GetString(), Does.EndWith("x2"));
            Assert.That(item.GetProperty("contact").GetProperty("receiver_contact").GetString(), Is.EqualTo("139****5678"));
            Assert.That(body.GetProperty("payer").GetProperty("openid").GetString(), Is.EqualTo("o_payer_ship"));
        });

        var confirmed = await s.Client.PostAsync($"/api/orders/{no}/confirm-receipt", null);
        var detail = await ReadAsync(await s.Client.GetAsync($"/api/orders/{no}"));
        Assert.Multiple(() =>
        {
            Assert.That(confirmed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(detail.GetProperty("status").GetString(), Is.EqualTo("completed"));
            Assert.That(detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("toStatus").GetString()),
                Is.EqualTo(new[] { "pending_payment", "shipped", "completed" }), "paid was set directly by this test, without an event");
        });
    }

    [Test]
    public async Task AutoCompleteJob_CompletesShippedOrdersPastTheDeadlineOnly()
    {
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(5, 900);
        var address = await NewAddressAsync(s);
        var old = (await PlaceOkAsync(s, address, [(skus[0], 1)])).GetProperty("orderNo").GetString()!;
        var recent = (await PlaceOkAsync(s, address, [(skus[0], 1)])).GetProperty("orderNo").GetString()!;
        using var admin = Api.CreateAdminClient();
        foreach (var no in new[] { old, recent })
        {
            await MarkPaidAsync(no);
            Assert.That((await admin.PostAsJsonAsync($"/admin/orders/{no}/ship", new { carrier = "ZTO", trackingNo = "ZT" + no })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        await Api.ScalarAsync<int>("UPDATE orders SET shipped_at = UTC_TIMESTAMP(3) - INTERVAL 11 DAY WHERE order_no = @old", new { old });

        var run = await Api.Services.GetRequiredService<OrderJobs>().RunOnceAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(run.Completed, Is.GreaterThanOrEqualTo(1));
            Assert.That(await Api.ScalarAsync<string>("SELECT status FROM orders WHERE order_no = @old", new { old }), Is.EqualTo("completed"));
            Assert.That(await Api.ScalarAsync<string>("SELECT status FROM orders WHERE order_no = @recent", new { recent }), Is.EqualTo("shipped"));
        });
    }

    [Test]
    public async Task Admin_SearchDetailMemberOrdersAndCsvExport()
    {
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(5, 1234);
        var address = await NewAddressAsync(s);
        var a = (await PlaceOkAsync(s, address, [(skus[0], 1)])).GetProperty("orderNo").GetString()!;
        var b = (await PlaceOkAsync(s, address, [(skus[0], 2)])).GetProperty("orderNo").GetString()!;
        await s.Client.PostAsync($"/api/orders/{a}/cancel", null);
        using var admin = Api.CreateAdminClient();
        var from = DateTime.UtcNow.AddMinutes(-5).ToString("O");

        var search = await ReadAsync(await admin.GetAsync($"/admin/orders?memberId={s.MemberId}&status=pending_payment"));
        var byNo = await ReadAsync(await admin.GetAsync($"/admin/orders?orderNo={a}"));
        var detail = await admin.GetAsync($"/admin/orders/{b}");
        var memberOrders = await ReadAsync(await admin.GetAsync($"/admin/members/{s.MemberId}/orders"));
        var export = await admin.GetAsync($"/admin/orders/export?memberId={s.MemberId}&from={Uri.EscapeDataString(from)}");
        var csv = await export.Content.ReadAsStringAsync();
        var anonymous = await Api.CreateClient().GetAsync("/admin/orders");
        var missing = await admin.GetAsync("/admin/orders/000000000000000000000000");

        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(search.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("orderNo").GetString()), Is.EqualTo(new[] { b }));
            Assert.That(byNo.GetProperty("items")[0].GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(detail.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(memberOrders.GetProperty("items").GetArrayLength(), Is.EqualTo(2));
            Assert.That(export.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
            Assert.That(rows[0], Does.StartWith("order_no,member_id,status,goods_fen"));
            Assert.That(rows, Has.Length.EqualTo(3));
            Assert.That(rows[1], Does.StartWith($"{a},{s.MemberId},cancelled,1234,"));
            Assert.That(rows[2], Does.StartWith($"{b},{s.MemberId},pending_payment,2468,"));
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }
}
