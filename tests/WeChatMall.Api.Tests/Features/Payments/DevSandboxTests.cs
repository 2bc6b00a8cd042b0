using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Payments;

/// <summary>
/// /api/dev/sandbox (the H5 shop's sign-in and cashier in development): works against the sandbox in Testing, and
/// does not exist in Production or when the WeChat base URL is WeChat's own.
/// </summary>
public sealed class DevSandboxTests
{
    static ApiFactory Api => PaymentsEnvironment.Api;

    [Test]
    public async Task LoginCode_MintedByTheSandbox_SignsInThroughTheRealLogin()
    {
        using var anonymous = Api.CreateClient();
        var minted = await anonymous.PostAsJsonAsync("/api/dev/sandbox/login-codes", new { openId = "o_mp_dev_" + Guid.NewGuid().ToString("N")[..12] });
        Assert.That((int)minted.StatusCode, Is.EqualTo(200), await minted.Content.ReadAsStringAsync());
        var code = (await PayTestData.ReadAsync(minted)).GetProperty("code").GetString();

        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { code });
        Assert.That((int)login.StatusCode, Is.EqualTo(200), await login.Content.ReadAsStringAsync());
        // One-time: the same code again is refused by the code exchange.
        var again = await anonymous.PostAsJsonAsync("/api/auth/login", new { code });
        Assert.That((int)again.StatusCode, Is.Not.EqualTo(200));
    }

    [Test]
    public async Task ApprovePayment_OfOwnPrepaidOrder_PaysIt_AndAnotherMembersOrderIsNotFound()
    {
        using var shopper = await PayTestData.LoginAsync();
        using var other = await PayTestData.LoginAsync();
        var order = await PayTestData.NewOrderAsync(shopper, payableFen: 2_000);

        var early = await shopper.Client.PostAsync($"/api/dev/sandbox/orders/{order.OrderNo}/approve-payment", null);
        Assert.That((int)early.StatusCode, Is.EqualTo(409), "no prepay yet");
        Assert.That((await PayTestData.PayAsync(shopper, order.OrderNo)).IsSuccessStatusCode);

        var foreign = await other.Client.PostAsync($"/api/dev/sandbox/orders/{order.OrderNo}/approve-payment", null);
        Assert.That((int)foreign.StatusCode, Is.EqualTo(404), "another member's order is not theirs to approve");
        Assert.That(await PayTestData.StatusAsync(order.OrderNo), Is.EqualTo("pending_payment"));

        var approved = await shopper.Client.PostAsync($"/api/dev/sandbox/orders/{order.OrderNo}/approve-payment", null);
        Assert.That((int)approved.StatusCode, Is.EqualTo(200), await approved.Content.ReadAsStringAsync());
        Assert.That(await PayTestData.WaitForStatusAsync(order.OrderNo, "paid"), Is.EqualTo("paid"));
    }

    [TestCase("Production", null)]
    [TestCase("Testing", "https://api.weixin.qq.com")]
    public async Task DevRoutes_InProductionOrAgainstWeChat_DoNotExist(string environment, string? weChatBase)
    {
        // The sibling shares the fixture's database: without this its outbox and jobs would take the other tests'
        // late-payment refunds and send them to the base URL under test (a real WeChat host), where they never settle.
        var extra = new Dictionary<string, string?> { ["Outbox:Enabled"] = "false" };
        foreach (var job in new[] { "Orders", "PaymentReconciliation", "PointsExpiry", "MessageRetention", "FollowerSync", "MetricsRollup" })
            extra[$"Jobs:{job}:Enabled"] = "false";
        if (weChatBase is not null) extra["WeChat:ApiBaseUrl"] = weChatBase;
        await using var api = Api.StartSibling(extra, environment: environment);
        using var anonymous = api.CreateClient();
        var minted = await anonymous.PostAsJsonAsync("/api/dev/sandbox/login-codes", new { });
        Assert.That((int)minted.StatusCode, Is.EqualTo(404), await minted.Content.ReadAsStringAsync());
        var approve = await anonymous.PostAsync("/api/dev/sandbox/orders/X1/approve-payment", null);
        Assert.That((int)approve.StatusCode, Is.EqualTo(404));
    }
}
