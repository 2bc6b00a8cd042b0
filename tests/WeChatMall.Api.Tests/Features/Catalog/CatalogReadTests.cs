using System.Net;
using System.Net.Http.Json;
using static WeChatMall.Api.Tests.Features.Catalog.CatalogTestData;

namespace WeChatMall.Api.Tests.Features.Catalog;

public sealed class CatalogReadTests
{
    [Test]
    public async Task CategoryTree_WithNestedCategories_ReturnsChildrenInSortOrder()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var root = await NewCategoryAsync(admin);
        var second = await NewCategoryAsync(admin, root, sort: 2, name: "second");
        var first = await NewCategoryAsync(admin, root, sort: 1, name: "first");
        using var client = TestEnvironment.Api.CreateClient();

        var tree = await GetJsonAsync(client, "/api/catalog/categories");

        var node = tree.EnumerateArray().Single(n => n.GetProperty("id").GetInt64() == root);
        var children = node.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("id").GetInt64());
        Assert.That(children, Is.EqualTo(new[] { first, second }));
    }

    [Test]
    public async Task ProductDetail_OnShelf_ReturnsSkusWithPriceAndStock_Anonymously()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var created = await NewProductAsync(admin, Product(await NewCategoryAsync(admin), "Linen shirt", true,
            Sku("red", "M", priceFen: 12900, stock: 7), Sku("blue", "L", priceFen: 9900, stock: 0)));
        using var client = TestEnvironment.Api.CreateClient();

        var detail = await GetJsonAsync(client, $"/api/catalog/products/{created.GetProperty("id").GetInt64()}");

        var skus = detail.GetProperty("skus").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(detail.GetProperty("title").GetString(), Is.EqualTo("Linen shirt"));
            Assert.That(detail.GetProperty("minPriceFen").GetInt64(), Is.EqualTo(9900));
            Assert.That(detail.GetProperty("images").GetArrayLength(), Is.EqualTo(2));
            Assert.That(skus.Select(s => s.GetProperty("priceFen").GetInt64()), Is.EqualTo(new[] { 12900L, 9900L }));
            Assert.That(skus.Select(s => s.GetProperty("stock").GetInt32()), Is.EqualTo(new[] { 7, 0 }));
            Assert.That(skus[0].GetProperty("spec")[0].GetProperty("value").GetString(), Is.EqualTo("red"));
        });
    }

    [Test]
    public async Task OpenApi_ProductDetail_DescribesTheDetailSchema()
    {
        using var client = TestEnvironment.Api.CreateClient();

        var doc = await GetJsonAsync(client, "/openapi/v1.json");

        var ok = doc.GetProperty("paths").GetProperty("/api/catalog/products/{id}").GetProperty("get")
            .GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json");
        Assert.That(ok.GetProperty("schema").GetRawText(), Does.Contain("ProductDetailDto"));
    }

    [Test]
    public async Task ProductDetail_OffShelfOrMissing_Returns404()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var created = await NewProductAsync(admin, Product(await NewCategoryAsync(admin), onShelf: false));
        using var client = TestEnvironment.Api.CreateClient();

        var offShelf = await client.GetAsync($"/api/catalog/products/{created.GetProperty("id").GetInt64()}");
        var missing = await client.GetAsync("/api/catalog/products/999999999");

        Assert.Multiple(() =>
        {
            Assert.That(offShelf.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task ProductList_ByParentCategory_IncludesSubcategories_AndSortsByPrice()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var parent = await NewCategoryAsync(admin);
        var child = await NewCategoryAsync(admin, parent);
        await NewProductAsync(admin, Product(parent, "mid", true, Sku("red", "M", priceFen: 500)));
        await NewProductAsync(admin, Product(child, "cheap", true, Sku("red", "M", priceFen: 100), Sku("red", "L", priceFen: 9000)));
        await NewProductAsync(admin, Product(child, "dear", true, Sku("red", "M", priceFen: 800)));
        await NewProductAsync(admin, Product(child, "hidden", false, Sku("red", "M", priceFen: 1)));
        using var client = TestEnvironment.Api.CreateClient();

        var ascending = await GetJsonAsync(client, $"/api/catalog/products?categoryId={parent}&sort=price_asc");
        var descending = await GetJsonAsync(client, $"/api/catalog/products?categoryId={parent}&sort=price_desc");

        Assert.Multiple(() =>
        {
            Assert.That(Titles(ascending), Is.EqualTo(new[] { "cheap", "mid", "dear" }));
            Assert.That(Titles(descending), Is.EqualTo(new[] { "dear", "mid", "cheap" }));
        });
    }

    [Test]
    public async Task ProductList_WithKeywordAndPaging_ReturnsMatchingPages()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var category = await NewCategoryAsync(admin);
        var word = Unique("kw");
        foreach (var n in new[] { 1, 2, 3 }) await NewProductAsync(admin, Product(category, $"Tea {word} {n}"));
        await NewProductAsync(admin, Product(category, "Coffee"));
        using var client = TestEnvironment.Api.CreateClient();

        var page1 = await GetJsonAsync(client, $"/api/catalog/products?q={word}&sort=newest&pageSize=2");
        var page2 = await GetJsonAsync(client, $"/api/catalog/products?q={word}&sort=newest&pageSize=2&page=2");

        Assert.Multiple(() =>
        {
            Assert.That(Titles(page1), Is.EqualTo(new[] { $"Tea {word} 3", $"Tea {word} 2" }));
            Assert.That(page1.GetProperty("hasMore").GetBoolean(), Is.True);
            Assert.That(Titles(page2), Is.EqualTo(new[] { $"Tea {word} 1" }));
            Assert.That(page2.GetProperty("hasMore").GetBoolean(), Is.False);
        });
    }

    [Test]
    public async Task ProductList_WithUnknownSortOrHugePageSize_Returns400WithFieldErrors()
    {
        using var client = TestEnvironment.Api.CreateClient();

        var response = await client.GetAsync("/api/catalog/products?sort=cheapest&pageSize=500");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await ReadAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name);
        Assert.That(errors, Is.EquivalentTo(new[] { "Sort", "PageSize" }));
    }

    [Test]
    public async Task AdjustStock_WithReason_IsRecorded_AndCannotGoBelowZero()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var product = await NewProductAsync(admin, Product(await NewCategoryAsync(admin), skus: Sku("red", "M", stock: 5)));
        var sku = product.GetProperty("skus")[0].GetProperty("id").GetInt64();

        var added = await admin.PostAsJsonAsync($"/admin/catalog/skus/{sku}/stock-adjustments", new { delta = 3, reason = "delivery" });
        var tooMany = await admin.PostAsJsonAsync($"/admin/catalog/skus/{sku}/stock-adjustments", new { delta = -9, reason = "broken" });
        var history = await GetJsonAsync(admin, $"/admin/catalog/skus/{sku}/stock-adjustments");

        Assert.Multiple(async () =>
        {
            Assert.That((await ReadAsync(added)).GetProperty("stock").GetInt32(), Is.EqualTo(8));
            Assert.That(tooMany.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await ReadAsync(tooMany)).GetProperty("code").GetString(), Is.EqualTo("STOCK_NEGATIVE"));
            Assert.That(history.GetArrayLength(), Is.EqualTo(1));
            Assert.That(history[0].GetProperty("reason").GetString(), Is.EqualTo("delivery"));
            Assert.That(history[0].GetProperty("stockAfter").GetInt32(), Is.EqualTo(8));
        });
    }

    [Test]
    public async Task DeleteCategory_WithProducts_Returns409_AndEmptyLeaf_Returns204()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var used = await NewCategoryAsync(admin);
        await NewProductAsync(admin, Product(used));
        var empty = await NewCategoryAsync(admin);

        var refused = await admin.DeleteAsync($"/admin/catalog/categories/{used}");
        var deleted = await admin.DeleteAsync($"/admin/catalog/categories/{empty}");

        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        });
    }
}
