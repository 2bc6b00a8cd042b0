using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Payments.PayTestData;

namespace WeChatMall.Api.Tests.Features.Payments;

[NonParallelizable] // its reconciler would also finish other fixtures' orders before their notifications
public sealed class ReconciliationTests
{
    static ApiFactory Api => PaymentsEnvironment.Api;

    [Test]
    public async Task AppKilledBetweenPrepayAndNotification_AFreshInstanceFinishesTheOrder()
    {
        using var shopper = await LoginAsync();
        var order = await NewOrderAsync(shopper.MemberId, payableFen: 2_500);

        // Instance one takes the prepay, telling WeChat Pay to notify an address where nobody listens, then dies.
        var doomed = Api.StartSibling(PaymentsEnvironment.Settings(PaymentsEnvironment.Sandbox, "http://127.0.0.1:9"));
        using (var client = doomed.CreateClient())
        {
            client.DefaultRequestHeaders.Authorization = shopper.Client.DefaultRequestHeaders.Authorization;
            (await client.PostAsync($"/api/orders/{order.OrderNo}/pay", null)).EnsureSuccessStatusCode();
        }
        await doomed.DisposeAsync();
        var notificationId = await SandboxPaysAsync(order.OrderNo);
        await Task.Delay(300);
        var stillPending = await StatusAsync(order.OrderNo);

        // A fresh instance with the reconciliation job on: it queries WeChat Pay and applies the paid path.
        var settings = PaymentsEnvironment.Settings(PaymentsEnvironment.Sandbox, "http://127.0.0.1:9");
        settings["Payments:ReconcileEnabled"] = "true";
        settings["Payments:ReconcileAfterMinutes"] = "0";
        settings["Payments:RecheckSeconds"] = "0";
        settings["Payments:ReconcileIntervalMs"] = "200";
        var fresh = Api.StartSibling(settings);
        string status;
        try
        {
            status = await WaitForStatusAsync(order.OrderNo, "paid");
        }
        finally
        {
            await fresh.DisposeAsync();
        }

        var delivery = await PaymentsEnvironment.Sandbox.Client.GetStringAsync($"/sandbox/pay/notifications/{notificationId}");
        Assert.Multiple(async () =>
        {
            Assert.That(stillPending, Is.EqualTo("pending_payment"), "the notification never arrived");
            Assert.That(delivery, Does.Contain("\"acknowledged\":false"));
            Assert.That(status, Is.EqualTo("paid"));
            Assert.That(await Api.ScalarAsync<string>("SELECT actor FROM order_events WHERE order_id = @Id", order), Is.EqualTo("reconcile"));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", shopper), Is.EqualTo(25));
            Assert.That(await Api.ScalarAsync<string>("SELECT transaction_id FROM orders WHERE id = @Id", order), Is.Not.Null);
        });
    }
}
