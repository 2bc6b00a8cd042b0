using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Catalog;

/// <summary>Anonymous catalog reads choose cache keys; none of them may grow Redis or process memory without bound.</summary>
public sealed class CatalogStorageBoundsTests
{
    const int Queries = 1_000;

    [Test]
    public async Task ThousandDistinctSearches_AndUnknownProductIds_LeaveNoKeysInRedis()
    {
        var prefix = $"t:bounds:{Guid.NewGuid():N}:";
        await using var api = TestEnvironment.Api.StartSibling(new Dictionary<string, string?> { ["Redis:KeyPrefix"] = prefix });
        var catalog = api.Services.GetRequiredService<CatalogReader>();
        var marker = Guid.NewGuid().ToString("N")[..10];

        await Parallel.ForAsync(0, Queries, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await catalog.ListAsync(null, $"{marker}-{i}", "default", 1, 20, ct));
        await Parallel.ForAsync(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await catalog.ProductAsync(long.MaxValue - i, ct));
        await catalog.ListAsync(null, null, "default", 1, 20, CancellationToken.None); // a bounded key still goes to Redis

        // L2 writes finish behind the answer; the shared page is written last, so once it shows the others have landed.
        var listKeys = await Eventually.MatchAsync(() => RedisScan.KeysAsync($"{prefix}cache:*:list:*"), k => k.Count > 0);
        var searchKeys = await RedisScan.KeysAsync($"{prefix}cache:*{marker}*");
        var productKeys = await RedisScan.KeysAsync($"{prefix}cache:*:product:*");
        Assert.Multiple(() =>
        {
            Assert.That(searchKeys, Is.Empty, "free-text searches are cached in process only");
            Assert.That(productKeys, Is.Empty, "a product id that does not exist leaves no key");
            Assert.That(listKeys, Has.Count.EqualTo(1), "the plain first page is still shared through Redis");
        });
    }

    [Test]
    public async Task ThousandDistinctSearches_InProcessCacheStaysWithinItsSizeLimit()
    {
        const long limit = 16 * 1024;
        await using var api = TestEnvironment.Api.StartSibling(new Dictionary<string, string?>
        {
            ["Caching:LocalCacheMaxBytes"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var catalog = api.Services.GetRequiredService<CatalogReader>();
        var local = (MemoryCache)api.Services.GetRequiredService<IMemoryCache>();
        var marker = Guid.NewGuid().ToString("N")[..10];

        for (var i = 0; i < Queries; i++) await catalog.ListAsync(null, $"{marker}-{i}", "default", 1, 20, CancellationToken.None);
        await Task.Delay(200); // compaction past the limit runs in the background

        // An empty page serializes to about 50 bytes, so the limit holds at most ~330 of them.
        Assert.That(local.Count, Is.LessThan(limit / 40), $"{local.Count} entries for {Queries} distinct searches");
    }
}
