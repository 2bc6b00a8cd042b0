using System.Net;
using System.Net.Http.Json;
using static WeChatMall.Api.Tests.Features.Catalog.CatalogTestData;

namespace WeChatMall.Api.Tests.Features.Catalog;

public sealed class CatalogAdminCrudTests
{
    [Test]
    public async Task SkuLifecycle_AddUpdateDelete_KeepsLowestPriceAndShelfInStep()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var product = await NewProductAsync(admin, Product(await NewCategoryAsync(admin), skus: Sku("red", "M", priceFen: 3000)));
        var id = product.GetProperty("id").GetInt64();
        var firstSku = product.GetProperty("skus")[0].GetProperty("id").GetInt64();

        var added = await ReadAsync(await admin.PostAsJsonAsync($"/admin/catalog/products/{id}/skus", Sku("red", "L", priceFen: 2500, stock: 4)));
        var secondSku = added.GetProperty("skus")[1].GetProperty("id").GetInt64();
        var updated = await ReadAsync(await admin.PutAsJsonAsync($"/admin/catalog/skus/{firstSku}", new
        {
            spec = new[] { new { name = "colour", value = "red" }, new { name = "size", value = "S" } }, priceFen = 1200,
        }));
        var deleteFirst = await admin.DeleteAsync($"/admin/catalog/skus/{firstSku}");
        var afterDelete = await GetJsonAsync(admin, $"/admin/catalog/products/{id}");
        await admin.DeleteAsync($"/admin/catalog/skus/{secondSku}");
        var withoutSkus = await GetJsonAsync(admin, $"/admin/catalog/products/{id}");

        Assert.Multiple(() =>
        {
            Assert.That(added.GetProperty("minPriceFen").GetInt64(), Is.EqualTo(2500));
            Assert.That(updated.GetProperty("minPriceFen").GetInt64(), Is.EqualTo(1200));
            Assert.That(updated.GetProperty("skus")[0].GetProperty("spec")[1].GetProperty("value").GetString(), Is.EqualTo("S"));
            Assert.That(deleteFirst.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(afterDelete.GetProperty("minPriceFen").GetInt64(), Is.EqualTo(2500));
            Assert.That(withoutSkus.GetProperty("onShelf").GetBoolean(), Is.False, "nothing left to sell");
        });
    }

    [Test]
    public async Task ShelfAndDelete_ChangeWhatTheMiniProgramSees()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var category = await NewCategoryAsync(admin);
        var id = (await NewProductAsync(admin, Product(category, "shelf", onShelf: false))).GetProperty("id").GetInt64();

        var hidden = Titles(await GetJsonAsync(admin, $"/api/catalog/products?categoryId={category}"));
        var adminSees = Titles(await GetJsonAsync(admin, $"/admin/catalog/products?categoryId={category}"));
        (await admin.PostAsync($"/admin/catalog/products/{id}/on-shelf", null)).EnsureSuccessStatusCode();
        var shown = Titles(await GetJsonAsync(admin, $"/api/catalog/products?categoryId={category}"));
        var deleted = await admin.DeleteAsync($"/admin/catalog/products/{id}");
        var gone = await admin.GetAsync($"/api/catalog/products/{id}");
        var goneForAdmin = await admin.GetAsync($"/admin/catalog/products/{id}");

        Assert.Multiple(() =>
        {
            Assert.That(hidden, Is.Empty);
            Assert.That(adminSees, Is.EqualTo(new[] { "shelf" }));
            Assert.That(shown, Is.EqualTo(new[] { "shelf" }));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(goneForAdmin.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task UpdateCategory_RenameAndMove_IsReflectedInTheTree()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var a = await NewCategoryAsync(admin);
        var b = await NewCategoryAsync(admin);

        var response = await admin.PutAsJsonAsync($"/admin/catalog/categories/{b}", new { name = "renamed", parentId = a, sort = 3 });
        var tree = await GetJsonAsync(admin, "/api/catalog/categories");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var child = tree.EnumerateArray().Single(n => n.GetProperty("id").GetInt64() == a).GetProperty("children").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(child.GetProperty("id").GetInt64(), Is.EqualTo(b));
            Assert.That(child.GetProperty("name").GetString(), Is.EqualTo("renamed"));
            Assert.That(tree.EnumerateArray().Any(n => n.GetProperty("id").GetInt64() == b), Is.False, "no longer a root");
        });
    }
}
