using Dapper;
using MySqlConnector;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Metrics.MetricsTestData;

namespace WeChatMall.Api.Tests.Features.Metrics;

/// <summary>
/// The incremental pass (what the MetricsRollup job runs) picks up a new payment and a refund of an old order, and
/// leaves the rollups exactly as a rebuild from the source tables would.
/// </summary>
public sealed class MetricsIncrementalTests
{
    [Test]
    public async Task Refresh_AfterPaymentAndRefund_AgreesWithRebuild()
    {
        await using var api = await StartAsync();
        var data = await MetricsTestData.SeedAsync(api);
        await PostAsync(api, "/admin/metrics/refresh");   // the first pass sees everything (no watermark yet)
        var first = await SnapshotAsync(api);

        // A refund of M2's 1 March order (M2 drops out of the buyers) and a new payment by M1 now.
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await api.ScalarAsync<int>("UPDATE orders SET refunded_fen = payable_fen, refund_state = 'refunded', updated_at = @now WHERE member_id = @m2 AND payable_fen = 3000",
            new { now, m2 = data.M2 });
        await OrderAsync(api, data.M1, ChinaNow(now), 4_200, 0, updatedAt: now);
        var refreshed = await PostAsync(api, "/admin/metrics/refresh");
        var incremental = await SnapshotAsync(api);
        var today = await GetAsync(api, "/admin/metrics/revenue");
        var mar1 = await GetAsync(api, "/admin/metrics/revenue?from=2025-03-01&to=2025-03-01");
        var sinceMarch = await GetAsync(api, "/admin/metrics/repurchase?from=2025-03-01");
        var sinceMay11 = await GetAsync(api, "/admin/metrics/repurchase?from=2025-05-11");

        await PostAsync(api, "/admin/metrics/rebuild");
        var rebuilt = await SnapshotAsync(api);

        Assert.Multiple(() =>
        {
            Assert.That(refreshed.GetProperty("buyers").GetInt32(), Is.EqualTo(2), "only the two buyers whose orders changed");
            Assert.That(incremental, Is.Not.EqualTo(first));
            Assert.That(incremental, Is.EqualTo(rebuilt));
            Assert.That(today.GetProperty("revenueFen").GetInt64(), Is.EqualTo(4_200));
            Assert.That(mar1.GetProperty("revenueFen").GetInt64(), Is.EqualTo(10_000));
            Assert.That(mar1.GetProperty("paidOrders").GetInt64(), Is.EqualTo(1));
            // Periods ending today (the recency rollup): M2 is no buyer any more; M1 now has four purchases, M3 three, M4 one.
            Assert.That((sinceMarch.GetProperty("buyers").GetInt64(), sinceMarch.GetProperty("repeatBuyers").GetInt64()), Is.EqualTo((3L, 2L)));
            Assert.That((sinceMay11.GetProperty("buyers").GetInt64(), sinceMay11.GetProperty("repeatBuyers").GetInt64()), Is.EqualTo((2L, 0L)),
                "M3 on 1 August and M1 today: one purchase each since 11 May");
        });
    }

    static string ChinaNow(DateTime utc) => utc.AddHours(8).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    static async Task<string> SnapshotAsync(ApiFactory api)
    {
        await using var c = new MySqlConnection(TestServers.MySqlFor(api.Database));
        var parts = new List<string>();
        foreach (var sql in new[]
        {
            "SELECT * FROM metrics_daily ORDER BY day",
            "SELECT * FROM metrics_customer_days ORDER BY day, member_id",
            "SELECT * FROM metrics_customers ORDER BY member_id",
            "SELECT * FROM metrics_cohorts ORDER BY cohort_day",
            "SELECT * FROM metrics_recency_days ORDER BY day",
            "SELECT * FROM metrics_repurchase_cells ORDER BY kind, x, y",
        })
            foreach (IDictionary<string, object?> row in await c.QueryAsync(sql))
                parts.Add(string.Join("|", row.Select(kv => $"{kv.Key}={kv.Value}")));
        return string.Join("\n", parts);
    }
}
