using System.Net.Http.Json;
using Dapper;
using MySqlConnector;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Catalog.CatalogTestData;

namespace WeChatMall.Api.Tests.Features.Catalog;

/// <summary>Two instances on one database and Redis, as behind a load balancer.</summary>
public sealed class CatalogCacheTests
{
    // Invalidation travels by Redis pub/sub, asynchronously; the generation poll bounds it at 1 s if a message is lost.
    const int PropagationMs = 2000;

    [Test]
    public async Task AdminEdit_OnOneInstance_NextReadOnAnotherInstanceShowsIt()
    {
        await using var other = TestEnvironment.Api.StartSibling();
        using var admin = TestEnvironment.Api.CreateAdminClient();
        using var reader = other.CreateClient();
        var product = await NewProductAsync(admin, Product(await NewCategoryAsync(admin), "before"));
        var id = product.GetProperty("id").GetInt64();
        var url = $"/api/catalog/products/{id}";
        Assert.That((await GetJsonAsync(reader, url)).GetProperty("title").GetString(), Is.EqualTo("before"), "warms the cache");

        var update = await admin.PutAsJsonAsync($"/admin/catalog/products/{id}", new
        {
            categoryId = product.GetProperty("categoryId").GetInt64(), title = "after", images = Array.Empty<string>(),
        });
        update.EnsureSuccessStatusCode();

        Assert.That(async () => (await GetJsonAsync(reader, url)).GetProperty("title").GetString(),
            Is.EqualTo("after").After(PropagationMs, 20));
    }

    [Test]
    public async Task OffShelf_OnOneInstance_ListAndDetailOnAnotherInstanceDropIt()
    {
        await using var other = TestEnvironment.Api.StartSibling();
        using var admin = TestEnvironment.Api.CreateAdminClient();
        using var reader = other.CreateClient();
        var category = await NewCategoryAsync(admin);
        var id = (await NewProductAsync(admin, Product(category, "shelved"))).GetProperty("id").GetInt64();
        Assert.That(Titles(await GetJsonAsync(reader, $"/api/catalog/products?categoryId={category}")), Is.EqualTo(new[] { "shelved" }));

        (await admin.PostAsync($"/admin/catalog/products/{id}/off-shelf", null)).EnsureSuccessStatusCode();

        Assert.That(async () => Titles(await GetJsonAsync(reader, $"/api/catalog/products?categoryId={category}")),
            Is.Empty.After(PropagationMs, 20));
        Assert.That((int)(await reader.GetAsync($"/api/catalog/products/{id}")).StatusCode, Is.EqualTo(404));
    }

    [Test]
    public async Task Read_AfterDatabaseChangeBehindTheCache_IsServedFromCache_UntilAnAdminWrite()
    {
        // Its own database and Redis prefix: another test's admin write would invalidate the cache under test.
        await using var api = await ApiFactory.StartAsync();
        using var admin = api.CreateAdminClient();
        using var client = api.CreateClient();
        var id = (await NewProductAsync(admin, Product(await NewCategoryAsync(admin), "cached"))).GetProperty("id").GetInt64();
        var url = $"/api/catalog/products/{id}";
        await GetJsonAsync(client, url);

        await using (var db = new MySqlConnection(TestServers.MySqlFor(api.Database)))
            await db.ExecuteAsync("UPDATE catalog_products SET title = 'changed behind' WHERE id = @id", new { id });
        var stale = (await GetJsonAsync(client, url)).GetProperty("title").GetString();
        await NewCategoryAsync(admin);   // any admin write invalidates the whole catalog
        var fresh = (await GetJsonAsync(client, url)).GetProperty("title").GetString();

        Assert.Multiple(() =>
        {
            Assert.That(stale, Is.EqualTo("cached"), "the second read must come from the cache, not MySQL");
            Assert.That(fresh, Is.EqualTo("changed behind"));
        });
    }

    [Test]
    public async Task Read_OnAFreshInstance_IsServedFromTheSharedRedisL2()
    {
        await using var api = await ApiFactory.StartAsync();   // no other test's writes: they would change the generation
        using var admin = api.CreateAdminClient();
        using var client = api.CreateClient();
        var id = (await NewProductAsync(admin, Product(await NewCategoryAsync(admin), "in redis"))).GetProperty("id").GetInt64();
        var url = $"/api/catalog/products/{id}";
        await GetJsonAsync(client, url);
        await using (var db = new MySqlConnection(TestServers.MySqlFor(api.Database)))
            await db.ExecuteAsync("UPDATE catalog_products SET title = 'only in mysql' WHERE id = @id", new { id });

        await using var fresh = api.StartSibling();
        using var freshClient = fresh.CreateClient();

        // Its L1 is empty: once it has read the current generation from Redis, the entry comes from the L2.
        Assert.That(async () => (await GetJsonAsync(freshClient, url)).GetProperty("title").GetString(),
            Is.EqualTo("in redis").After(PropagationMs, 50));
    }

    [Test]
    public async Task StockAdjustment_OnOneInstance_IsShownOnAnotherWithinSeconds()
    {
        await using var other = TestEnvironment.Api.StartSibling();
        using var admin = TestEnvironment.Api.CreateAdminClient();
        using var reader = other.CreateClient();
        var product = await NewProductAsync(admin, Product(await NewCategoryAsync(admin), skus: Sku("red", "M", stock: 5)));
        var url = $"/api/catalog/products/{product.GetProperty("id").GetInt64()}";
        await GetJsonAsync(reader, url);

        var sku = product.GetProperty("skus")[0].GetProperty("id").GetInt64();
        (await admin.PostAsJsonAsync($"/admin/catalog/skus/{sku}/stock-adjustments", new { delta = -4, reason = "damaged" }))
            .EnsureSuccessStatusCode();

        // StockCacheSeconds is 2: the shown stock may lag by that much, never more.
        Assert.That(async () => (await GetJsonAsync(reader, url)).GetProperty("skus")[0].GetProperty("stock").GetInt32(),
            Is.EqualTo(1).After(3500, 100));
    }
}
