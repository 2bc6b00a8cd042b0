using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Payments.PayTestData;

namespace WeChatMall.Api.Tests.Features.Payments;

/// <summary>
/// The "order paid" subscribe message spends one of the payer's credits for Payments:PaidTemplateId (what the shop's
/// pay tap reported from wx.requestSubscribeMessage). Non-parallelizable: the sandbox's faults on subscribe/send are
/// shared, and another fixture's paid message must not take them.
/// </summary>
[NonParallelizable]
public sealed class PaidNoticeCreditTests
{
    const string SendRoute = "/cgi-bin/message/subscribe/send";
    static ApiFactory Api => PaymentsEnvironment.Api;
    static SandboxHost Sandbox => PaymentsEnvironment.Sandbox;

    [Test]
    public async Task Paid_WithACredit_OneMessageAndOneCreditSpent()
    {
        using var shopper = await LoginAsync();
        await AcceptPaidNoticeAsync(shopper, times: 2);

        var order = await PaidOrderAsync(shopper);
        var row = await SettledRowAsync(order);
        var messages = await MessagesAsync(shopper);

        Assert.Multiple(async () =>
        {
            Assert.That(row.Status, Is.EqualTo("sent"));
            Assert.That(messages, Has.Length.EqualTo(1));
            Assert.That(messages[0].GetRawText(), Does.Contain(order.OrderNo));
            Assert.That(await CreditsAsync(shopper), Is.EqualTo(1), "two accepted, one spent");
        });
    }

    [Test]
    public async Task Paid_WithoutACredit_NoMessageNoWeChatCall_RowSkippedNoCredit()
    {
        using var shopper = await LoginAsync();
        var callsBefore = await SendCallsAsync(shopper);

        var order = await PaidOrderAsync(shopper);
        var row = await SettledRowAsync(order);

        Assert.Multiple(async () =>
        {
            Assert.That(row.Status, Is.EqualTo("skipped"));
            Assert.That(row.LastError, Is.EqualTo("no_credit"));
            Assert.That(await MessagesAsync(shopper), Is.Empty);
            Assert.That(await SendCallsAsync(shopper), Is.EqualTo(callsBefore), "WeChat is not called without a credit");
            Assert.That(await CreditsAsync(shopper), Is.Zero);
        });
    }

    [Test]
    public async Task Paid_WeChatAnswers43101_CreditSetToZero_RowSkipped()
    {
        using var shopper = await LoginAsync();
        await AcceptPaidNoticeAsync(shopper, times: 3);
        await FaultAsync(errcode: 43101, count: 1);

        var order = await PaidOrderAsync(shopper);
        var row = await SettledRowAsync(order);

        Assert.Multiple(async () =>
        {
            Assert.That(row.Status, Is.EqualTo("skipped"));
            Assert.That(row.LastError, Does.StartWith("no_credit"));
            Assert.That(await MessagesAsync(shopper), Is.Empty);
            Assert.That(await CreditsAsync(shopper), Is.Zero, "WeChat holds no subscription, whatever we counted");
        });
    }

    [Test]
    public async Task Paid_TransientFailureThenOutboxRetry_OneMessageAndOneCreditInTotal()
    {
        using var shopper = await LoginAsync();
        await AcceptPaidNoticeAsync(shopper, times: 2);
        // errcode -1 (system busy) to the call and each of the client's own retries: the first outbox attempt fails.
        await FaultAsync(errcode: -1, count: 4);

        var order = await PaidOrderAsync(shopper);
        var row = await SettledRowAsync(order);
        var messages = await MessagesAsync(shopper);

        Assert.Multiple(async () =>
        {
            Assert.That(row.Status, Is.EqualTo("sent"));
            Assert.That(row.Attempts, Is.EqualTo(2), "failed once, sent on the outbox's retry");
            Assert.That(messages, Has.Length.EqualTo(1));
            Assert.That(await CreditsAsync(shopper), Is.EqualTo(1), "spent, given back, spent again: one in total");
            Assert.That(await Api.ScalarAsync<long>(
                "SELECT SUM(delta) FROM subscribe_credit_events WHERE member_id = @MemberId AND reason IN ('send', 'send_refund')", shopper),
                Is.EqualTo(-1));
        });
    }

    sealed record OutboxRowView(string Status, int Attempts, string? LastError);

    static async Task<TestOrder> PaidOrderAsync(Shopper shopper)
    {
        var order = await NewOrderAsync(shopper, payableFen: 3_300);
        var pay = await PayAsync(shopper, order.OrderNo);
        Assert.That((int)pay.StatusCode, Is.EqualTo(200), await pay.Content.ReadAsStringAsync());
        await SandboxPaysAsync(order.OrderNo);
        await WaitForStatusAsync(order.OrderNo, "paid");
        return order;
    }

    static Task<OutboxRowView> SettledRowAsync(TestOrder order) => Eventually.MatchAsync(
        async () => (await Api.QueryAsync<OutboxRowView>(
            "SELECT status AS Status, attempts AS Attempts, last_error AS LastError FROM outbox_messages WHERE idempotency_key = @key",
            new { key = "pay.paid_message:" + order.OrderNo })).Single(),
        r => r.Status != "pending", timeoutMs: 20_000);

    static async Task<JsonElement[]> MessagesAsync(Shopper shopper)
        => (await Sandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/messages?openid={shopper.OpenId}"))!;

    static async Task<int> SendCallsAsync(Shopper shopper)
        => (await Sandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/calls?route={Uri.EscapeDataString(SendRoute)}"))!
            .Count(c => c.GetRawText().Contains(shopper.OpenId, StringComparison.Ordinal));

    static Task<int> CreditsAsync(Shopper shopper) => Api.ScalarAsync<int>(
        "SELECT COALESCE(MAX(credits), 0) FROM member_subscribe_credits WHERE member_id = @MemberId AND template_id = @t",
        new { shopper.MemberId, t = PaymentsEnvironment.PaidTemplateId });

    static async Task FaultAsync(int errcode, int count)
    {
        var r = await Sandbox.Client.PostAsJsonAsync("/sandbox/faults", new { route = SendRoute, count, errcode });
        r.EnsureSuccessStatusCode();
    }
}
