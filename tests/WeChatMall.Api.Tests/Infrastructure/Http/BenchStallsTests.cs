using System.Globalization;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Infrastructure.Http;

/// <summary>
/// GET /bench/stalls (mapped with Bench:Enabled, read by scripts/bench.sh): work that waits for a thread-pool thread is
/// reported, with how long it waited.
/// </summary>
public sealed class BenchStallsTests
{
    [Test]
    public async Task WorkWaitingForAPoolThread_IsReportedAsAPoolWaitOfThatLength_AndOnlyOnce()
    {
        await using var api = await ApiFactory.StartAsync(new Dictionary<string, string?> { ["Bench:Enabled"] = "true" });
        using var client = api.CreateClient();
        await client.GetStringAsync("/bench/stalls"); // forget the start-up's waits

        // Every pool thread busy for 300 ms (the pool adds threads for starvation only after about 500 ms). Not disposed:
        // blockers still queued when it is set call Wait later.
        var release = new ManualResetEventSlim();
        for (var i = 0; i < ThreadPool.ThreadCount + 4; i++) ThreadPool.UnsafeQueueUserWorkItem(_ => release.Wait(), null);
        Thread.Sleep(300); // not awaited: a continuation would need a pool thread too
        release.Set();
        await Task.Delay(100);

        var pool = Waits(await client.GetStringAsync("/bench/stalls")).Where(w => w.Kind == "pool").ToList();
        Assert.That(pool, Is.Not.Empty, "the probe's work item waited behind the blocked threads");
        Assert.That(pool.Max(w => w.Ms), Is.GreaterThanOrEqualTo(100), "it waited for most of the 300 ms");
        Assert.That(Waits(await client.GetStringAsync("/bench/stalls")).Where(w => w.Ms >= 100), Is.Empty, "a wait is reported once");
    }

    static IEnumerable<(string Kind, double Ms)> Waits(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Select(f => (f[1], double.Parse(f[2], CultureInfo.InvariantCulture)));
}
