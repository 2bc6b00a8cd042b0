using WeChatMall.Api.Tests.Features.Payments;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Campaigns;

/// <summary>
/// The sandbox as WeChat and WeChat Pay, an API on Kestrel (callbacks and pay notifications come back to it) with the
/// delivery engine switched off, and one clock shared by all, which tests move forward. Tests start the delivery
/// workers themselves as sibling instances (<see cref="StartWorker"/>), so they decide how many run and when one dies.
/// </summary>
[SetUpFixture]
public sealed class CampaignsEnvironment
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
        settings["Jobs:CampaignDelivery:Enabled"] = "false";
        settings["Jobs:JourneyAdvance:Enabled"] = "false";
        settings["Jobs:JourneyAdvance:Interval"] = "00:00:00.200";
        settings["Journeys:ClaimSeconds"] = "3";
        settings["Journeys:BatchSize"] = "3";
        settings["Jobs:AudienceNightly:Enabled"] = "false";
        settings["Jobs:PointsExpiry:Enabled"] = "false";
        settings["Jobs:Orders:Enabled"] = "false";
        settings["RateLimits:Enabled"] = "false";
        settings["Members:OAuthStatesPerClient"] = "1000";
        settings["Campaigns:ClaimSeconds"] = "3";
        settings["Campaigns:BatchSize"] = "4";
        settings["Campaigns:Parallelism"] = "2";
        settings["Campaigns:RetryBaseDelay"] = "00:00:00.200";
        settings["Campaigns:MassChunkSize"] = "3";
        settings["Jobs:CampaignDelivery:Interval"] = "00:00:00.200";
        Api = await ApiFactory.StartAsync(settings, kestrel: true, clock: Clock);
        PaymentsEnvironment.PointNotificationsAt(Api);
        await Sandbox.ConfigureAsync(callbackUrl: new Uri(Api.BaseAddress, "/wechat/callback").AbsoluteUri);
    }

    /// <summary>
    /// A second instance on the same database, Redis and clock that runs the delivery engine (and nothing else in the
    /// background), and with <paramref name="journeys"/> the journey worker too.
    /// </summary>
    public static ApiFactory StartWorker(bool journeys = false) => Api.StartSibling(new Dictionary<string, string?>
    {
        ["Jobs:CampaignDelivery:Enabled"] = "true",
        ["Jobs:JourneyAdvance:Enabled"] = journeys ? "true" : "false",
        ["Outbox:Enabled"] = "false",
        ["Callback:EventWriterEnabled"] = "false",
    });

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await Api.DisposeAsync();
        await Sandbox.DisposeAsync();
        Clock.Dispose();
    }
}
