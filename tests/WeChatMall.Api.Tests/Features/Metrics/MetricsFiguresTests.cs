using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Metrics.MetricsTestData;

namespace WeChatMall.Api.Tests.Features.Metrics;

/// <summary>
/// Every figure of the dashboards against values worked out by hand from <see cref="MetricsTestData"/>, on a database
/// of this fixture's own, after a rebuild.
/// </summary>
public sealed class MetricsFiguresTests
{
    ApiFactory api = null!;
    MetricsTestData data = null!;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        api = await StartAsync();
        data = await MetricsTestData.SeedAsync(api);
        await PostAsync(api, "/admin/metrics/rebuild");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await api.DisposeAsync();

    static JsonElement Day(JsonElement body, string day) =>
        body.GetProperty("days").EnumerateArray().Single(d => d.GetProperty("day").GetString() == day);

    [Test]
    public async Task Growth_CountsMembersAndFollowersPerChinaDay()
    {
        var body = await GetAsync(api, "/admin/metrics/growth?from=2025-02-28&to=2025-03-03");
        var mar1 = Day(body, "2025-03-01");
        var mar2 = Day(body, "2025-03-02");
        Assert.Multiple(() =>
        {
            // M2 joined at 23:30 and M3 at 00:30 (China): the prospect and the merged-away account are not members.
            Assert.That(mar1.GetProperty("newMembers").GetInt64(), Is.EqualTo(2));
            Assert.That(mar2.GetProperty("newMembers").GetInt64(), Is.EqualTo(1));
            Assert.That(Day(body, "2025-03-03").GetProperty("totalMembers").GetInt64(), Is.EqualTo(3));
            Assert.That(Day(body, "2025-02-28").GetProperty("totalMembers").GetInt64(), Is.EqualTo(0));
            Assert.That(mar1.GetProperty("newFollowers").GetInt64(), Is.EqualTo(2));
            Assert.That(mar2.GetProperty("newFollowers").GetInt64(), Is.EqualTo(1), "07:59 China on 2 March is 1 March in UTC");
            Assert.That(mar2.GetProperty("lostFollowers").GetInt64(), Is.EqualTo(1));
            Assert.That(mar2.GetProperty("netFollowers").GetInt64(), Is.EqualTo(0));
            Assert.That(mar1.GetProperty("totalFollowers").GetInt64(), Is.EqualTo(2));
            Assert.That(mar2.GetProperty("totalFollowers").GetInt64(), Is.EqualTo(2));
            Assert.That(body.GetProperty("newMembers").GetInt64(), Is.EqualTo(3));
            Assert.That(body.GetProperty("netFollowers").GetInt64(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Revenue_IsNetOfRefundsPerChinaDay_WithImportedApartAndTheMemberShare()
    {
        var body = await GetAsync(api, "/admin/metrics/revenue?from=2025-03-01&to=2025-03-31");
        var mar1 = Day(body, "2025-03-01");
        var mar2 = Day(body, "2025-03-02");
        Assert.Multiple(() =>
        {
            // 1 March: 100 (M1) + 30 (M2, at 23:59). 2 March: 600 (M3); M2's 70 at 00:01 was refunded in full.
            Assert.That(mar1.GetProperty("revenueFen").GetInt64(), Is.EqualTo(13_000));
            Assert.That(mar1.GetProperty("paidOrders").GetInt64(), Is.EqualTo(2));
            Assert.That(mar1.GetProperty("averageOrderFen").GetInt64(), Is.EqualTo(6_500));
            Assert.That(mar2.GetProperty("revenueFen").GetInt64(), Is.EqualTo(60_000));
            Assert.That(mar2.GetProperty("paidOrders").GetInt64(), Is.EqualTo(1));
            Assert.That(Day(body, "2025-03-20").GetProperty("revenueFen").GetInt64(), Is.EqualTo(3_000), "50 paid, 20 refunded");
            Assert.That(mar1.GetProperty("importedRevenueFen").GetInt64(), Is.EqualTo(13_000));
            Assert.That(mar1.GetProperty("importedOrders").GetInt64(), Is.EqualTo(2));
            Assert.That(mar1.GetProperty("importedMemberRevenueFen").GetInt64(), Is.EqualTo(5_000));
            Assert.That(mar2.GetProperty("importedRevenueFen").GetInt64(), Is.EqualTo(2_000));
            // March: own 130 + 600 + 10 + 30 = 770 yuan in 5 orders; imported 150; members 770 + 50 of 920.
            Assert.That(body.GetProperty("revenueFen").GetInt64(), Is.EqualTo(77_000));
            Assert.That(body.GetProperty("paidOrders").GetInt64(), Is.EqualTo(5));
            Assert.That(body.GetProperty("averageOrderFen").GetInt64(), Is.EqualTo(15_400));
            Assert.That(body.GetProperty("importedRevenueFen").GetInt64(), Is.EqualTo(15_000));
            Assert.That(body.GetProperty("importedOrders").GetInt64(), Is.EqualTo(3));
            Assert.That(body.GetProperty("totalRevenueFen").GetInt64(), Is.EqualTo(92_000));
            Assert.That(body.GetProperty("memberRevenueFen").GetInt64(), Is.EqualTo(82_000));
            Assert.That(body.GetProperty("memberShare").GetDouble(), Is.EqualTo(0.8913));
        });
    }

    [Test]
    public async Task Repurchase_CountsBuyersWithTwoOrdersInThePeriod()
    {
        var march = await GetAsync(api, "/admin/metrics/repurchase?from=2025-03-01&to=2025-03-31");
        var firstDay = await GetAsync(api, "/admin/metrics/repurchase?from=2025-03-01&to=2025-03-01");
        Assert.Multiple(() =>
        {
            // M1 (1 and 20 March) and M3 (2 and 5 March) bought twice; M2's second order was refunded in full.
            Assert.That(march.GetProperty("buyers").GetInt64(), Is.EqualTo(3));
            Assert.That(march.GetProperty("repeatBuyers").GetInt64(), Is.EqualTo(2));
            Assert.That(march.GetProperty("rate").GetDouble(), Is.EqualTo(0.6667));
            Assert.That(firstDay.GetProperty("buyers").GetInt64(), Is.EqualTo(2));
            Assert.That(firstDay.GetProperty("repeatBuyers").GetInt64(), Is.EqualTo(0));
        });
    }

    // A period ending today is read from the recency rollup, an earlier one from the buyer-days: no order was paid
    // after 1 August 2025, so both must give the same figures, worked out by hand.
    [TestCase("2025-03-01", 4, 2, TestName = "Repurchase_EndingToday_FromMarch1_AllFourBuyers_M1AndM3Repeat")]
    [TestCase("2025-03-02", 3, 2, TestName = "Repurchase_EndingToday_FromMarch2_M2sOnlyLaterOrderWasRefunded")]
    [TestCase("2025-03-21", 3, 0, TestName = "Repurchase_EndingToday_FromMarch21_OnePurchaseEach")]
    [TestCase("2025-05-11", 1, 0, TestName = "Repurchase_EndingToday_FromMay11_OnlyM3")]
    [TestCase("2025-08-02", 0, 0, TestName = "Repurchase_EndingToday_AfterTheLastPurchase_Nobody")]
    public async Task Repurchase_OfAPeriodEndingToday_CountsEachBuyersLastTwoPurchases(string from, long buyers, long repeat)
    {
        var today = await GetAsync(api, $"/admin/metrics/repurchase?from={from}");
        // The longest earlier period allowed (400 days) still reaches past the last purchase (1 August 2025).
        var longest = DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture).AddDays(399).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var endingEarlier = await GetAsync(api, $"/admin/metrics/repurchase?from={from}&to={longest}");
        Assert.Multiple(() =>
        {
            Assert.That((today.GetProperty("buyers").GetInt64(), today.GetProperty("repeatBuyers").GetInt64()), Is.EqualTo((buyers, repeat)));
            Assert.That((endingEarlier.GetProperty("buyers").GetInt64(), endingEarlier.GetProperty("repeatBuyers").GetInt64()),
                Is.EqualTo((buyers, repeat)), "the buyer-days path agrees");
        });
    }

    [Test]
    public async Task Cohorts_GiveRepurchaseWithinNDaysAndAverageValueAtNDays()
    {
        var body = await GetAsync(api, "/admin/metrics/cohorts?from=2025-03-01&to=2025-03-01");
        var all = await GetAsync(api, "/admin/metrics/cohorts?from=2025-01-01&to=2025-12-31");
        var first = body.GetProperty("total");
        var months = all.GetProperty("months").EnumerateArray().ToList();
        var march = months.Single(m => m.GetProperty("cohort").GetString() == "2025-03");
        var april = months.Single(m => m.GetProperty("cohort").GetString() == "2025-04");
        Assert.Multiple(() =>
        {
            // 1 March cohort: M1 (second order on day 19; 130 yuan in 30 days, 330 by day 90) and M2 (30 yuan, nothing after).
            Assert.That(first.GetProperty("customers").GetInt64(), Is.EqualTo(2));
            Assert.That(first.GetProperty("repeat30").GetInt64(), Is.EqualTo(1));
            Assert.That(first.GetProperty("r30").GetDouble(), Is.EqualTo(0.5));
            Assert.That(first.GetProperty("averageLtv30Fen").GetInt64(), Is.EqualTo(8_000));
            Assert.That(first.GetProperty("averageLtv90Fen").GetInt64(), Is.EqualTo(18_000));
            Assert.That(first.GetProperty("averageLtv365Fen").GetInt64(), Is.EqualTo(18_000));
            Assert.That(first.GetProperty("mature365").GetBoolean(), Is.True);
            // March: M3 joins (610 in 30 and 90 days, 1,610 by day 180).
            Assert.That(march.GetProperty("cohort").GetString(), Is.EqualTo("2025-03"));
            Assert.That(march.GetProperty("customers").GetInt64(), Is.EqualTo(3));
            Assert.That(march.GetProperty("repeat30").GetInt64(), Is.EqualTo(2));
            Assert.That(march.GetProperty("repeat90").GetInt64(), Is.EqualTo(2));
            Assert.That(march.GetProperty("r60").GetDouble(), Is.EqualTo(0.6667));
            Assert.That(march.GetProperty("averageLtv30Fen").GetInt64(), Is.EqualTo(25_666));
            Assert.That(march.GetProperty("averageLtv90Fen").GetInt64(), Is.EqualTo(32_333));
            Assert.That(march.GetProperty("averageLtv180Fen").GetInt64(), Is.EqualTo(65_666));
            Assert.That(march.GetProperty("averageLtvFen").GetInt64(), Is.EqualTo(65_666));
            // April: M4 alone, no second order.
            Assert.That(april.GetProperty("customers").GetInt64(), Is.EqualTo(1));
            Assert.That(april.GetProperty("repeat90").GetInt64(), Is.EqualTo(0));
            Assert.That(april.GetProperty("r30").GetDouble(), Is.EqualTo(0));
            Assert.That(april.GetProperty("averageLtv30Fen").GetInt64(), Is.EqualTo(5_000));
            Assert.That(all.GetProperty("total").GetProperty("customers").GetInt64(), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task Ltv_DistributesBuyersOverBuckets()
    {
        var body = await GetAsync(api, "/admin/metrics/ltv");
        var buckets = body.GetProperty("buckets").EnumerateArray()
            .ToDictionary(b => b.GetProperty("minFen").GetInt64(), b => b.GetProperty("buyers").GetInt64());
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("buyers").GetInt64(), Is.EqualTo(4));
            Assert.That(body.GetProperty("averageLtvFen").GetInt64(), Is.EqualTo(50_500));
            Assert.That(buckets[0], Is.EqualTo(1), "M2: 30 yuan");
            Assert.That(buckets[5_000], Is.EqualTo(1), "M4: 50 yuan");
            Assert.That(buckets[20_000], Is.EqualTo(1), "M1: 330 yuan");
            Assert.That(buckets[100_000], Is.EqualTo(1), "M3: 1,610 yuan");
            Assert.That(buckets.Values.Sum(), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task TopCustomers_AreOrderedByNetSpend()
    {
        var body = await GetAsync(api, "/admin/metrics/top-customers?limit=2");
        var top = body.EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(top.Select(t => t.GetProperty("memberId").GetInt64()), Is.EqualTo(new[] { data.M3, data.M1 }));
            Assert.That(top[0].GetProperty("netFen").GetInt64(), Is.EqualTo(161_000));
            Assert.That(top[0].GetProperty("paidOrders").GetInt64(), Is.EqualTo(3));
            Assert.That(top[1].GetProperty("netFen").GetInt64(), Is.EqualTo(33_000));
        });
    }

    [Test]
    public async Task Range_BackwardsOrTooLong_Is400()
    {
        using var admin = api.CreateAdminClient();
        var backwards = await admin.GetAsync("/admin/metrics/revenue?from=2025-03-02&to=2025-03-01");
        var tooLong = await admin.GetAsync("/admin/metrics/growth?from=2020-01-01&to=2025-03-01");
        Assert.Multiple(async () =>
        {
            Assert.That((int)backwards.StatusCode, Is.EqualTo(400));
            Assert.That(await backwards.Content.ReadAsStringAsync(), Does.Contain("METRICS_RANGE_INVALID"));
            Assert.That((int)tooLong.StatusCode, Is.EqualTo(400));
        });
    }
}
