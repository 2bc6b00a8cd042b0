using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Payments.PayTestData;

namespace WeChatMall.Api.Tests.Features.Payments;

public sealed class RefundNotifyUrlTests
{
    static ApiFactory Api => PaymentsEnvironment.Api;
    static SandboxHost Sandbox => PaymentsEnvironment.Sandbox;

    [Test]
    public async Task AdminRefund_WithoutRefundNotifyUrlSetting_SendsOneDerivedFromNotifyUrl_AndItsNotificationSettlesTheRefund()
    {
        // A second instance on the same database, configured with NotifyUrl only. Its notify URL points at the
        // Kestrel instance, so the sandbox's REFUND.SUCCESS reaches a real listener; reconciliation runs nowhere.
        await using var instance = Api.StartSibling(new Dictionary<string, string?>
        {
            ["WeChatPay:NotifyUrl"] = new Uri(Api.BaseAddress, "/pay/notify").ToString(),
            ["WeChatPay:RefundNotifyUrl"] = null,
        });
        using var shopper = await LoginAsync();
        var order = await NewOrderAsync(shopper, payableFen: 5_000);
        (await PayAsync(shopper, order.OrderNo)).EnsureSuccessStatusCode();
        await SandboxPaysAsync(order.OrderNo);
        await WaitForStatusAsync(order.OrderNo, "paid");

        using var admin = instance.CreateAdminClient();
        var created = await admin.PostAsJsonAsync($"/admin/orders/{order.OrderNo}/refunds", new { amountFen = order.PayableFen, reason = "damaged" });
        var refundState = await WaitForRefundStateAsync(order.OrderNo, "refunded");

        var calls = (await Sandbox.Client.GetFromJsonAsync<JsonElement[]>("/sandbox/calls?route=/v3/refund/domestic/refunds"))!;
        var sent = calls.Select(c => JsonDocument.Parse(c.GetProperty("body").GetString()!).RootElement)
            .SingleOrDefault(b => b.GetProperty("out_trade_no").GetString() == order.OrderNo);
        Assert.Multiple(async () =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
            Assert.That(sent.ValueKind == JsonValueKind.Object && sent.TryGetProperty("notify_url", out var url) ? url.GetString() : null,
                Is.EqualTo(new Uri(Api.BaseAddress, "/pay/refund-notify").ToString()));
            Assert.That(refundState, Is.EqualTo("refunded"), "settled by the refund notification, with reconciliation off");
            Assert.That(await Api.ScalarAsync<string>(
                "SELECT outcome FROM pay_notifications WHERE out_refund_no = @no AND event = 'REFUND.SUCCESS'",
                new { no = order.OrderNo + "-R1" }), Is.EqualTo("applied"));
        });
    }
}
