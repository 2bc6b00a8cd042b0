using System.Net;
using System.Text.Json;
using MySqlConnector;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Catalog.CatalogTestData;

namespace WeChatMall.Api.Tests.Infrastructure.Http;

/// <summary>
/// An instance whose MariaDB goes away (its link through a TcpProxy is cut; the shared server keeps running):
/// a read the cache holds is still served, anything else is a 503 DATABASE_UNAVAILABLE with Retry-After, never a 500.
/// </summary>
public sealed class DatabaseDownTests
{
    [Test]
    public async Task MariaDbDown_CachedProductStillServed_OtherReadsAre503WithCodeAndRetryAfter()
    {
        var server = new MySqlConnectionStringBuilder(TestServers.MySqlServer);
        await using var proxy = new TcpProxy($"{server.Server}:{server.Port}");
        await using var api = TestEnvironment.Api.StartSibling(new Dictionary<string, string?>
        {
            ["ConnectionStrings:MySql"] = new MySqlConnectionStringBuilder(TestServers.MySqlFor(TestEnvironment.Api.Database)) { Port = (uint)proxy.Port }.ConnectionString,
        });
        using var admin = api.CreateAdminClient();
        var category = await NewCategoryAsync(admin);
        var cached = (await NewProductAsync(admin, Product(category))).GetProperty("id").GetInt64();
        var notCached = (await NewProductAsync(admin, Product(category))).GetProperty("id").GetInt64();
        using var client = api.CreateClient();
        var before = await GetJsonAsync(client, $"/api/catalog/products/{cached}");

        proxy.Stop();
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // past Catalog:StockCacheSeconds: the view is rebuilt from MySQL
        var stillServed = await client.GetAsync($"/api/catalog/products/{cached}");
        var refused = await client.GetAsync($"/api/catalog/products/{notCached}");
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;

        Assert.Multiple(async () =>
        {
            Assert.That(stillServed.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the cached product is still served");
            Assert.That((await ReadAsync(stillServed)).GetProperty("title").GetString(), Is.EqualTo(before.GetProperty("title").GetString()));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("DATABASE_UNAVAILABLE"));
            Assert.That(refused.Headers.RetryAfter, Is.Not.Null);
        });
    }
}
