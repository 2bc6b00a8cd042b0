using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Catalog.CatalogTestData;

namespace WeChatMall.Api.Tests.Features.Catalog;

/// <summary>Redis is a cache for the catalog: without it reads are slower, never broken.</summary>
public sealed class CatalogRedisDownTests
{
    const int L2Down = 1101, L2Up = 1102;

    [Test]
    public async Task Reads_WithRedisUnreachableFromTheStart_Answer200FromMySql()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var category = await NewCategoryAsync(admin);
        var id = (await NewProductAsync(admin, Product(category, "no redis"))).GetProperty("id").GetInt64();
        var logs = new LogSink();
        await using var sibling = TestEnvironment.Api.StartSibling(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=200,abortConnect=false",
        });
        await using var api = sibling.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        using var client = api.CreateClient();
        // Start the host first (JIT, DI, migrations check): the bound below is about Redis timeouts, not startup.
        (await client.GetAsync("/health/live")).EnsureSuccessStatusCode();
        var watch = Stopwatch.StartNew();

        var detail = await GetJsonAsync(client, $"/api/catalog/products/{id}");
        var list = await GetJsonAsync(client, $"/api/catalog/products?categoryId={category}");
        await GetJsonAsync(client, "/api/catalog/categories");
        var elapsed = watch.Elapsed;
        for (var i = 0; i < 5; i++) await GetJsonAsync(client, $"/api/catalog/products?categoryId={category}&page={i + 2}");

        Assert.Multiple(() =>
        {
            Assert.That(detail.GetProperty("title").GetString(), Is.EqualTo("no redis"));
            Assert.That(Titles(list), Is.EqualTo(new[] { "no redis" }));
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "no waiting on Redis timeouts");
            Assert.That(logs.Count(L2Down), Is.EqualTo(1), "the outage is logged once, not per request");
        });
    }

    [Test]
    public async Task AdminWrite_WithRedisUnreachable_IsVisibleOnTheSameInstance()
    {
        await using var api = TestEnvironment.Api.StartSibling(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=200,abortConnect=false",
        });
        using var admin = api.CreateAdminClient();
        var product = await NewProductAsync(admin, Product(await NewCategoryAsync(admin), "v1"));
        var id = product.GetProperty("id").GetInt64();
        await GetJsonAsync(admin, $"/api/catalog/products/{id}");

        (await admin.PutAsJsonAsync($"/admin/catalog/products/{id}", new
        {
            categoryId = product.GetProperty("categoryId").GetInt64(), title = "v2", images = Array.Empty<string>(),
        })).EnsureSuccessStatusCode();

        Assert.That((await GetJsonAsync(admin, $"/api/catalog/products/{id}")).GetProperty("title").GetString(), Is.EqualTo("v2"));
    }

    [Test]
    public async Task Reads_WhenRedisConnectionBreaksAfterWarmUp_Answer200_AndInvalidationResumesAfterReconnect()
    {
        await using var proxy = new TcpProxy(TestServers.Redis);
        var logs = new LogSink();
        await using var sibling = TestEnvironment.Api.StartSibling(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = $"127.0.0.1:{proxy.Port},connectTimeout=200,abortConnect=false",
        });
        await using var api = sibling.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        using var admin = TestEnvironment.Api.CreateAdminClient();   // the healthy instance
        using var client = api.CreateClient();
        var category = await NewCategoryAsync(admin);
        var warm = await NewProductAsync(admin, Product(category, "warm"));
        var cold = (await NewProductAsync(admin, Product(category, "cold"))).GetProperty("id").GetInt64();
        var warmUrl = $"/api/catalog/products/{warm.GetProperty("id").GetInt64()}";
        await Task.Delay(1500);   // let the instance learn the current generation through the proxy
        await GetJsonAsync(client, warmUrl);

        proxy.Stop();
        var watch = Stopwatch.StartNew();
        var warmAgain = await GetJsonAsync(client, warmUrl);
        var coldRead = await GetJsonAsync(client, $"/api/catalog/products/{cold}");
        var list = await GetJsonAsync(client, $"/api/catalog/products?categoryId={category}&sort=newest");
        var outage = watch.Elapsed;

        (await admin.PutAsJsonAsync($"/admin/catalog/products/{warm.GetProperty("id").GetInt64()}", new
        {
            categoryId = category, title = "edited during outage", images = Array.Empty<string>(),
        })).EnsureSuccessStatusCode();
        // Counted before the reconnect: afterwards a loaded machine may see a read over the 250 ms budget, a new (short) outage.
        var downLogsDuringOutage = logs.Count(L2Down);
        proxy.Restart();

        Assert.Multiple(() =>
        {
            Assert.That(warmAgain.GetProperty("title").GetString(), Is.EqualTo("warm"));
            Assert.That(coldRead.GetProperty("title").GetString(), Is.EqualTo("cold"));
            Assert.That(Titles(list), Is.EqualTo(new[] { "cold", "warm" }));
            Assert.That(outage, Is.LessThan(TimeSpan.FromSeconds(2)), "no waiting on Redis timeouts");
        });
        // Recovers alone: once reconnected, the poll picks up the generation bumped during the outage.
        Assert.That(async () => (await GetJsonAsync(client, warmUrl)).GetProperty("title").GetString(),
            Is.EqualTo("edited during outage").After(20_000, 200));
        Assert.Multiple(() =>
        {
            Assert.That(downLogsDuringOutage, Is.EqualTo(1), "logged once when the outage starts, not per request");
            Assert.That(logs.Count(L2Up), Is.GreaterThanOrEqualTo(1), "and when it ends");
        });
    }
}
