using WeChatMall.Api.Tests.Features.Payments;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Audience;

/// <summary>
/// An API on Kestrel with the sandbox as WeChat and WeChat Pay (notifications and follower callbacks come back to it),
/// one clock shared by both so a test can let two months pass between orders. The nightly pass is off: tests run the
/// rebuild themselves. Only <see cref="AudiencePopulationTests"/> creates buyers in this database, so RFM averages are
/// over its hand-built population.
/// </summary>
[SetUpFixture]
public sealed class AudienceEnvironment
{
    public static RunningClock Clock { get; private set; } = null!;
    public static SandboxHost Sandbox { get; private set; } = null!;
    public static ApiFactory Api { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Clock = new RunningClock();
        Sandbox = await SandboxHost.StartAsync(time: Clock);
        var settings = PaymentsEnvironment.Settings(Sandbox, "http://127.0.0.1:9");
        settings["Jobs:AudienceNightly:Enabled"] = "false";
        settings["Jobs:PointsExpiry:Enabled"] = "false";
        settings["Jobs:Orders:Enabled"] = "false";
        settings["RateLimits:Enabled"] = "false"; // dozens of sign-ins and orders from one address within a minute
        settings["Members:OAuthStatesPerClient"] = "1000";
        Api = await ApiFactory.StartAsync(settings, kestrel: true, clock: Clock);
        PaymentsEnvironment.PointNotificationsAt(Api);
        await Sandbox.ConfigureAsync(callbackUrl: new Uri(Api.BaseAddress, "/wechat/callback").AbsoluteUri);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await Api.DisposeAsync();
        await Sandbox.DisposeAsync();
        Clock.Dispose();
    }
}
