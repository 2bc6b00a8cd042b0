using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Infrastructure.Jobs;
using static WeChatMall.Api.Tests.Features.Metrics.MetricsTestData;

namespace WeChatMall.Api.Tests.Features.Metrics;

/// <summary>
/// One metrics pass at a time across instances: a pass holds the `metrics-pass` lease row, which any instance sees (a
/// named lock was local to one Galera node). Another instance's pass is stood in for by holding the lease under another
/// holder's name.
/// </summary>
public sealed class MetricsPassLeaseTests
{
    const string Lease = "metrics-pass";
    const string OtherInstance = "another-instance/pass";

    [Test]
    public async Task Refresh_WhileAnotherInstancesPassHoldsTheLease_SkipsThePass_AndTheNextOneCatchesUp()
    {
        await using var api = await StartAsync();
        var data = await SeedAsync(api);
        await PostAsync(api, "/admin/metrics/refresh"); // the first pass: everything, and a watermark
        var leases = api.Services.GetRequiredService<JobLease>();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await OrderAsync(api, data.M1, now.AddHours(8).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), 4_200, 0, updatedAt: now);

        Assert.That(await leases.TryHoldAsync(Lease, OtherInstance, TimeSpan.FromMinutes(5), CancellationToken.None), Is.True);
        var skipped = await PostAsync(api, "/admin/metrics/refresh");
        var revenueWhileHeld = await GetAsync(api, "/admin/metrics/revenue");
        await leases.ReleaseAsync(Lease, OtherInstance, CancellationToken.None);
        var ran = await PostAsync(api, "/admin/metrics/refresh");
        var revenueAfter = await GetAsync(api, "/admin/metrics/revenue");

        Assert.Multiple(() =>
        {
            Assert.That(skipped.GetProperty("buyers").GetInt32(), Is.EqualTo(0), "no pass while another holds the lease");
            Assert.That(revenueWhileHeld.GetProperty("revenueFen").GetInt64(), Is.EqualTo(0));
            Assert.That(ran.GetProperty("buyers").GetInt32(), Is.EqualTo(1), "the next pass picks the payment up");
            Assert.That(revenueAfter.GetProperty("revenueFen").GetInt64(), Is.EqualTo(4_200));
        });
    }

    [Test]
    public async Task Rebuild_WaitsForAnotherInstancesPass_AndRunsWhenItEnds()
    {
        await using var api = await StartAsync();
        await SeedAsync(api);
        var leases = api.Services.GetRequiredService<JobLease>();
        Assert.That(await leases.TryHoldAsync(Lease, OtherInstance, TimeSpan.FromMinutes(5), CancellationToken.None), Is.True);

        var rebuild = PostAsync(api, "/admin/metrics/rebuild");
        await Task.Delay(TimeSpan.FromSeconds(3));
        var finishedWhileHeld = rebuild.IsCompleted;
        await leases.ReleaseAsync(Lease, OtherInstance, CancellationToken.None);
        var rebuilt = await rebuild.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Multiple(() =>
        {
            Assert.That(finishedWhileHeld, Is.False, "the rebuild waits for the other pass");
            Assert.That(rebuilt.GetProperty("buyers").GetInt32(), Is.GreaterThan(0));
        });
    }
}
