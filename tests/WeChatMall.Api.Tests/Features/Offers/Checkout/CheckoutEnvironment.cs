using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Tests.Features.Payments;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Offers.Checkout;

/// <summary>
/// Coupons at checkout through real orders and WeChat Pay: the sandbox pays and refunds and posts its signed
/// notifications to an API on Kestrel (as <see cref="PaymentsEnvironment"/>). The orders' expiry job does not run by
/// itself: a test runs it (PayTestData.ExpireAsync). No shipping fee, so a payable of 1 fen shows as 1.
/// </summary>
[SetUpFixture]
public sealed class CheckoutEnvironment
{
    public static SandboxHost Sandbox { get; private set; } = null!;
    public static ApiFactory Api { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Sandbox = await SandboxHost.StartAsync();
        var settings = PaymentsEnvironment.Settings(Sandbox, "http://127.0.0.1:9");
        settings["Jobs:Orders:Enabled"] = "false";
        settings["Orders:ShippingFeeFen"] = "0";
        Api = await ApiFactory.StartAsync(settings, kestrel: true);
        PaymentsEnvironment.PointNotificationsAt(Api);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await Api.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
