using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Tests.Features.Catalog;
using WeChatMall.Api.Tests.Features.Payments;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Loyalty;

/// <summary>
/// Loyalty through real orders and WeChat Pay: the sandbox pays and refunds and posts its signed notifications to an
/// API on Kestrel (as <see cref="PaymentsEnvironment"/>), with a first-order bonus, a referral reward and one Gold
/// tier created here and never changed by a test, so the fixtures of this folder can run side by side.
/// </summary>
[SetUpFixture]
public sealed class LoyaltyEnvironment
{
    public const long FirstOrderBonus = 1_000;
    public const long ReferralReward = 500;
    public const long GoldMinSpendFen = 100_000;
    public const int GoldDiscountBasisPoints = 1_000;
    public const int GoldMultiplierPercent = 200;

    public static SandboxHost Sandbox { get; private set; } = null!;
    public static ApiFactory Api { get; private set; } = null!;
    public static string GoldCode { get; } = "gold" + Guid.NewGuid().ToString("N")[..8];

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Sandbox = await SandboxHost.StartAsync();
        var settings = PaymentsEnvironment.Settings(Sandbox, "http://127.0.0.1:9");
        settings["Loyalty:FirstOrderBonusPoints"] = FirstOrderBonus.ToString(CultureInfo.InvariantCulture);
        settings["Loyalty:ReferralRewardPoints"] = ReferralReward.ToString(CultureInfo.InvariantCulture);
        settings["Jobs:PointsExpiry:Enabled"] = "false";
        Api = await ApiFactory.StartAsync(settings, kestrel: true);
        PaymentsEnvironment.PointNotificationsAt(Api);

        using var admin = Api.CreateAdminClient();
        var tier = await admin.PostAsJsonAsync("/admin/tiers", new
        {
            code = GoldCode, name = "Gold", rank = 500, minSpendFen = GoldMinSpendFen, discountBasisPoints = GoldDiscountBasisPoints,
            pointsMultiplierPercent = GoldMultiplierPercent,
        });
        Assert.That(tier.StatusCode, Is.EqualTo(HttpStatusCode.Created), await tier.Content.ReadAsStringAsync());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await Api.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
