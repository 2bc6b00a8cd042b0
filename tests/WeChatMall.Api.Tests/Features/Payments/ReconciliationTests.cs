using System.Net;
using System.Net.Http.Json;
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
        var order = await NewOrderAsync(shopper, payableFen: 2_500);

        await PrepayOnAnInstanceThatDiesAsync(shopper, order);
        var notificationId = await SandboxPaysAsync(order.OrderNo);
        await Task.Delay(300);
        var stillPending = await StatusAsync(order.OrderNo);

        // A fresh instance with the reconciliation job on: it queries WeChat Pay and applies the paid path.
        var settings = PaymentsEnvironment.Settings(PaymentsEnvironment.Sandbox, "http://127.0.0.1:9");
        settings["Jobs:PaymentReconciliation:Enabled"] = "true";
        settings["Payments:ReconcileAfterMinutes"] = "0";
        settings["Payments:RecheckSeconds"] = "0";
        settings["Jobs:PaymentReconciliation:Interval"] = "00:00:00.200";
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
            Assert.That(await Api.ScalarAsync<string>("SELECT actor FROM order_events WHERE order_id = @Id AND to_status = 'paid'", order),
                Is.EqualTo("reconcile"));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", shopper), Is.EqualTo(25));
            Assert.That(await Api.ScalarAsync<string>("SELECT transaction_id FROM orders WHERE id = @Id", order), Is.EqualTo(await SandboxTransactionIdAsync(order.OrderNo)));
        });
    }

    [Test]
    public async Task RefundApiDown_RefundStaysProcessing_ReconciliationSubmitsItAndItCompletes()
    {
        using var shopper = await LoginAsync();
        var order = await NewOrderAsync(shopper, payableFen: 3_300);
        (await PayAsync(shopper, order.OrderNo)).EnsureSuccessStatusCode();
        await SandboxPaysAsync(order.OrderNo);
        await WaitForStatusAsync(order.OrderNo, "paid");
        // Every attempt of the refund call fails (the client retries twice): WeChat Pay never received it.
        await PaymentsEnvironment.Sandbox.Client.PostAsJsonAsync("/sandbox/faults", new { route = "/v3/refund/domestic/refunds", count = 3, httpStatus = 500 });

        using var admin = Api.CreateAdminClient();
        var created = await admin.PostAsJsonAsync($"/admin/orders/{order.OrderNo}/refunds", new { amountFen = 3_300, reason = "broken", returnStock = false });
        var afterFailure = await Api.RowAsync("SELECT status, refund_id FROM order_refunds WHERE order_id = @Id", order);

        var settings = PaymentsEnvironment.Settings(PaymentsEnvironment.Sandbox, Api.BaseAddress.ToString().TrimEnd('/'));
        settings["Jobs:PaymentReconciliation:Enabled"] = "true";
        settings["Payments:RecheckSeconds"] = "0";
        settings["Jobs:PaymentReconciliation:Interval"] = "00:00:00.200";
        var reconciler = Api.StartSibling(settings);
        string status;
        try
        {
            status = await WaitForRefundStateAsync(order.OrderNo, "refunded");
        }
        finally
        {
            await reconciler.DisposeAsync();
        }

        Assert.Multiple(async () =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((string)afterFailure!.status, Is.EqualTo("processing"));
            Assert.That((string?)afterFailure.refund_id, Is.Null);
            Assert.That(status, Is.EqualTo("refunded"));
            Assert.That(await Api.ScalarAsync<string>("SELECT refund_id FROM order_refunds WHERE order_id = @Id", order), Is.Not.Null);
            Assert.That(await Api.ScalarAsync<long>("SELECT refunded_fen FROM orders WHERE id = @Id", order), Is.EqualTo(3_300));
        });
    }

    [Test]
    public async Task CloseOrder_PaidMeanwhile_ClosesAsOrderPaid_AndTheLatePaymentRevivesTheOrder()
    {
        using var shopper = await LoginAsync();
        var order = await NewOrderAsync(shopper, payableFen: 1_800);
        await PrepayOnAnInstanceThatDiesAsync(shopper, order);
        await CloseFailsAsync(order.OrderNo); // the expiry's close is retried 2 s later...
        await ExpireAsync(order);
        await SandboxPaysAsync(order.OrderNo); // ...and meanwhile the shopper pays; the notification goes nowhere

        var status = await WaitForStatusAsync(order.OrderNo, "paid");

        Assert.Multiple(async () =>
        {
            Assert.That(status, Is.EqualTo("paid"));
            Assert.That(await Api.ScalarAsync<string>("SELECT actor FROM order_events WHERE order_id = @Id AND to_status = 'paid'", order),
                Is.EqualTo("pay-close"));
            Assert.That(await Api.ScalarAsync<bool>("SELECT revived_at = paid_at FROM orders WHERE id = @Id", order), Is.True, "revived when paid");
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", shopper), Is.EqualTo(18));
        });
    }

    [Test]
    public async Task CloseOrder_Unpaid_ClosesTheWeChatPayOrder()
    {
        using var shopper = await LoginAsync();
        var order = await NewOrderAsync(shopper, payableFen: 900);
        (await PayAsync(shopper, order.OrderNo)).EnsureSuccessStatusCode();
        await ExpireAsync(order); // queues the close; the running outbox worker sends it

        var state = await Eventually.MatchAsync(async () => (await PaymentsEnvironment.Sandbox.Client
            .GetFromJsonAsync<System.Text.Json.JsonElement>($"/sandbox/pay/orders/{order.OrderNo}")).GetProperty("tradeState").GetString(), s => s == "CLOSED");

        Assert.Multiple(async () =>
        {
            Assert.That(state, Is.EqualTo("CLOSED"));
            Assert.That(await StatusAsync(order.OrderNo), Is.EqualTo("cancelled"));
            Assert.That(await Api.ScalarAsync<string>("SELECT status FROM outbox_messages WHERE idempotency_key = @key",
                new { key = "pay.close_order:" + order.OrderNo }), Is.EqualTo("sent"));
        });
    }

    // An instance takes the prepay, telling WeChat Pay to notify an address where nobody listens, then dies.
    static async Task PrepayOnAnInstanceThatDiesAsync(Shopper shopper, TestOrder order)
    {
        var doomed = Api.StartSibling(PaymentsEnvironment.Settings(PaymentsEnvironment.Sandbox, "http://127.0.0.1:9"));
        using (var client = doomed.CreateClient())
        {
            client.DefaultRequestHeaders.Authorization = shopper.Client.DefaultRequestHeaders.Authorization;
            (await client.PostAsync($"/api/orders/{order.OrderNo}/pay", null)).EnsureSuccessStatusCode();
        }
        await doomed.DisposeAsync();
    }
}
