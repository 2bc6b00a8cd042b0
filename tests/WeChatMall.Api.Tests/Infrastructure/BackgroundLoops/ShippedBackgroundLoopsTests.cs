using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.Features.Payments;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Payments.PayTestData;

namespace WeChatMall.Api.Tests.Infrastructure.BackgroundLoops;

/// <summary>
/// Two API instances on one database with every background loop as shipped: the outbox worker, the orders' expiry
/// job, the payment reconciler and the points expiry all on, at their shipped intervals and thresholds (nothing under
/// Jobs, Outbox, Orders, Payments or Loyalty is set). Nothing calls RunOnceAsync: only the running loops move anything.
/// Instead of waiting minutes, the instances and the sandbox share a <see cref="RunningClock"/> that the tests jump
/// forward; the loops' own Task.Delay and PeriodicTimer wake as they would have. WeChat Pay's notifications go to a
/// port where nobody listens: every one is lost, so only the reconcilers can finish a paid order.
/// </summary>
public sealed class ShippedBackgroundLoopsTests
{
    private RunningClock clock = null!;
    private SandboxHost sandbox = null!;
    private ApiFactory first = null!;
    private ApiFactory second = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        clock = new RunningClock();
        sandbox = await SandboxHost.StartAsync(time: clock);
        var settings = PaymentsEnvironment.Settings(sandbox, "http://127.0.0.1:9");
        // Null removes the setting: these run with the defaults of appsettings.json and the options classes.
        foreach (var key in new[] { "Outbox:Enabled", "Outbox:PollIntervalMs", "Jobs:PaymentReconciliation:Enabled", "WeChatPay:RetryBaseDelay",
                     "Loyalty:ReferralRewardPoints" })
            settings[key] = null;
        first = await ApiFactory.StartAsync(settings, clock: clock);
        second = first.StartSibling();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await second.DisposeAsync();
        await first.DisposeAsync();
        await sandbox.DisposeAsync();
        clock.Dispose();
    }

    [Test, Order(1)]
    public async Task PaidAtWeChatPay_NotificationLost_TwoRunningReconcilersFinishItOnce_AndTheRunningWorkerSendsOnePaidMessage()
    {
        using var shopper = await LoginAsync(first, sandbox);
        await AcceptPaidNoticeAsync(shopper);
        var order = await NewOrderAsync(shopper, payableFen: 2_600, api: first);
        var pay = await PayAsync(shopper, order.OrderNo);
        Assert.That((int)pay.StatusCode, Is.EqualTo(200), await pay.Content.ReadAsStringAsync());
        await SandboxPaysAsync(order.OrderNo, sandbox);
        await Task.Delay(500);
        var beforeTheReconcilers = await StatusAsync(order.OrderNo, first);

        // Shipped: a pending order is queried once its prepay is 5 minutes old, in rounds a minute apart.
        await clock.JumpAsync(TimeSpan.FromMinutes(6));
        var status = await Eventually.MatchAsync(() => StatusAsync(order.OrderNo, first), s => s == "paid");
        var messages = await Eventually.MatchAsync(() => MessagesAsync(shopper.OpenId), m => m.Length > 0);
        // The worker records the send a moment after WeChat accepted it. Jumping the clock a minute before that would
        // end its 60 s lease mid-send (which real time cannot do in a few milliseconds): another worker would take the
        // row over and send again, and WeChat would refuse the used-up one-time subscription (the row ends "dead").
        await Eventually.MatchAsync(() => OutboxStatusAsync("pay.paid_message:" + order.OrderNo), s => s.SequenceEqual(["sent"]));
        // Two more rounds of both reconcilers and a few outbox polls: nothing may happen twice.
        await clock.JumpAsync(TimeSpan.FromMinutes(1));
        await Task.Delay(500);
        await clock.JumpAsync(TimeSpan.FromMinutes(3));
        await Task.Delay(1_000);

        Assert.Multiple(async () =>
        {
            Assert.That(beforeTheReconcilers, Is.EqualTo("pending_payment"), "the notification was lost");
            Assert.That(status, Is.EqualTo("paid"));
            Assert.That(await first.QueryAsync<string>("SELECT CONCAT(to_status, ' by ', actor) FROM order_events WHERE order_id = @Id AND to_status <> 'pending_payment'", order),
                Is.EqualTo(new[] { "paid by reconcile" }));
            Assert.That(await first.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", shopper), Is.EqualTo(26));
            Assert.That(await first.ScalarAsync<long>("SELECT COUNT(*) FROM points_ledger WHERE reference = @OrderNo", order), Is.EqualTo(1));
            Assert.That(await OutboxStatusAsync("pay.paid_message:" + order.OrderNo), Is.EqualTo(new[] { "sent" }));
            Assert.That(await MessagesAsync(shopper.OpenId), Has.Length.EqualTo(1), "one paid message, sent by a running worker");
            Assert.That(messages[0].GetRawText(), Does.Contain(order.OrderNo));
            Assert.That(await QueriesAsync(order.OrderNo), Is.EqualTo(1), "the two reconcilers claimed the order; one of them asked WeChat Pay");
        });
    }

    [Test, Order(2)]
    public async Task UnpaidOrder_RunningExpiryJobsCancelItOnce_StockComesBack_AndTheRunningWorkerClosesItAtWeChatPay()
    {
        using var shopper = await LoginAsync(first, sandbox);
        var sku = await NewSkuAsync(stock: 5, priceFen: 1_500, api: first);
        var order = await NewOrderAsync(shopper, payableFen: 3_000, quantity: 2, skuId: sku, api: first);
        var stockAfterPlacing = await StockAsync(sku);
        var pay = await PayAsync(shopper, order.OrderNo); // a WeChat Pay order now exists and must be closed on expiry
        Assert.That((int)pay.StatusCode, Is.EqualTo(200), await pay.Content.ReadAsStringAsync());

        // Shipped: 15 minutes to pay; each instance's job looks every 30 s.
        await clock.JumpAsync(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(31));
        var status = await Eventually.MatchAsync(() => StatusAsync(order.OrderNo, first), s => s == "cancelled");
        var tradeState = await Eventually.MatchAsync(async () => (await sandbox.Client
            .GetFromJsonAsync<JsonElement>($"/sandbox/pay/orders/{order.OrderNo}")).GetProperty("tradeState").GetString(), s => s == "CLOSED");
        // As in the test above: the close is recorded before the clock jumps past the worker's lease.
        await Eventually.MatchAsync(() => OutboxStatusAsync("pay.close_order:" + order.OrderNo), s => s.SequenceEqual(["sent"]));
        await clock.JumpAsync(TimeSpan.FromMinutes(1));
        await Task.Delay(500);

        Assert.Multiple(async () =>
        {
            Assert.That(stockAfterPlacing, Is.EqualTo(3));
            Assert.That(status, Is.EqualTo("cancelled"));
            Assert.That(await StockAsync(sku), Is.EqualTo(5), "the 2 units came back once");
            Assert.That(await first.QueryAsync<string>("SELECT CONCAT(to_status, ' by ', actor) FROM order_events WHERE order_id = @Id AND to_status <> 'pending_payment'", order),
                Is.EqualTo(new[] { "cancelled by expiry-job" }));
            Assert.That(tradeState, Is.EqualTo("CLOSED"));
            Assert.That(await OutboxStatusAsync("pay.close_order:" + order.OrderNo), Is.EqualTo(new[] { "sent" }));
        });

        Task<int> StockAsync(long skuId) => first.ScalarAsync<int>("SELECT stock FROM catalog_skus WHERE id = @skuId", new { skuId });
    }

    [Test, Order(3)]
    public async Task EarnedPoints_PastTheEndOfTheFollowingYear_RunningExpiryJobsExpireThemOnce()
    {
        using var shopper = await LoginAsync(first, sandbox);
        var order = await NewOrderAsync(shopper, payableFen: 4_200, api: first);
        (await PayAsync(shopper, order.OrderNo)).EnsureSuccessStatusCode();
        await SandboxPaysAsync(order.OrderNo, sandbox);
        await clock.JumpAsync(TimeSpan.FromMinutes(6)); // the reconcilers finish it: 42 points earned
        var earned = await Eventually.MatchAsync(() => BalanceAsync(), b => b == 42);

        // Shipped: points expire at the end of the year after the one they were earned in; the job runs hourly.
        await clock.JumpAsync(TimeSpan.FromDays(2 * 366) + TimeSpan.FromHours(1));
        var balance = await Eventually.MatchAsync(() => BalanceAsync(), b => b == 0);
        await clock.JumpAsync(TimeSpan.FromHours(2));
        await Task.Delay(500);

        Assert.Multiple(async () =>
        {
            Assert.That(earned, Is.EqualTo(42));
            Assert.That(balance, Is.Zero);
            Assert.That(await first.QueryAsync<long>("SELECT delta FROM points_ledger WHERE member_id = @MemberId ORDER BY id", shopper),
                Is.EqualTo(new[] { 42L, -42L }), "earned, then expired once although two instances run the job");
        });

        Task<long> BalanceAsync() => first.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", shopper);
    }

    private async Task<IEnumerable<string>> OutboxStatusAsync(string key) =>
        await first.QueryAsync<string>("SELECT status FROM outbox_messages WHERE idempotency_key = @key", new { key });

    private async Task<JsonElement[]> MessagesAsync(string openId)
        => (await sandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/messages?openid={openId}"))!;

    private async Task<int> QueriesAsync(string orderNo)
        => (await sandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/calls?route=/v3/pay/transactions/out-trade-no/{orderNo}"))!.Length;
}
