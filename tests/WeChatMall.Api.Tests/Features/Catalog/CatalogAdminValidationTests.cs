using System.Net;
using System.Net.Http.Json;
using static WeChatMall.Api.Tests.Features.Catalog.CatalogTestData;

namespace WeChatMall.Api.Tests.Features.Catalog;

public sealed class CatalogAdminValidationTests
{
    static async Task<Dictionary<string, string[]>> FieldErrorsAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        var body = await ReadAsync(response);
        return body.GetProperty("errors").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetString()!).ToArray());
    }

    [Test]
    public async Task CreateProduct_NegativePrice_Returns400WithFieldError()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var category = await NewCategoryAsync(admin);

        var response = await admin.PostAsJsonAsync("/admin/catalog/products", Product(category, skus: Sku("red", "M", priceFen: -1)));

        Assert.That((await FieldErrorsAsync(response)).Keys, Is.EquivalentTo(new[] { "Skus[0].PriceFen" }));
    }

    [Test]
    public async Task CreateProduct_UnknownCategory_Returns400WithFieldError()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();

        var response = await admin.PostAsJsonAsync("/admin/catalog/products", Product(categoryId: 987_654_321));

        Assert.That((await FieldErrorsAsync(response)).Keys, Is.EquivalentTo(new[] { "CategoryId" }));
    }

    [Test]
    public async Task CreateProduct_DuplicateSkuSpec_Returns400WithFieldError_AndCreatesNothing()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var category = await NewCategoryAsync(admin);

        // Same spec in another order and case: still the same SKU.
        var second = new { spec = new[] { new { name = "Size", value = "m" }, new { name = "colour", value = "RED" } }, priceFen = 100, stock = 1 };
        var response = await admin.PostAsJsonAsync("/admin/catalog/products", Product(category, null, true, Sku("red", "M"), second));

        Assert.That((await FieldErrorsAsync(response)).Keys, Is.EquivalentTo(new[] { "Skus[1].Spec" }));
        var page = await GetJsonAsync(admin, $"/api/catalog/products?categoryId={category}");
        Assert.That(Titles(page), Is.Empty);
    }

    [Test]
    public async Task AddSku_SpecOfAnExistingSku_Returns400WithFieldError()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var product = await NewProductAsync(admin, Product(await NewCategoryAsync(admin)));
        var id = product.GetProperty("id").GetInt64();

        var response = await admin.PostAsJsonAsync($"/admin/catalog/products/{id}/skus", Sku("red", "M", priceFen: 500));

        Assert.That((await FieldErrorsAsync(response)).Keys, Is.EquivalentTo(new[] { "Spec" }));
    }

    [Test]
    public async Task CreateProduct_SkuCodeAlreadyUsed_Returns400WithFieldError()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var category = await NewCategoryAsync(admin);
        var code = Unique("CODE");
        await NewProductAsync(admin, Product(category, skus: Sku("red", "M", code: code)));

        var response = await admin.PostAsJsonAsync("/admin/catalog/products", Product(category, skus: Sku("blue", "L", code: code)));

        Assert.That((await FieldErrorsAsync(response)).Keys, Is.EquivalentTo(new[] { "Skus[0].Code" }));
    }

    [Test]
    public async Task UpdateCategory_UnderItsOwnChild_Returns400WithFieldError()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var parent = await NewCategoryAsync(admin);
        var child = await NewCategoryAsync(admin, parent);

        var response = await admin.PutAsJsonAsync($"/admin/catalog/categories/{parent}", new { name = "moved", parentId = child });

        Assert.That((await FieldErrorsAsync(response)).Keys, Is.EquivalentTo(new[] { "ParentId" }));
    }

    [Test]
    public async Task AdminEndpoint_WithoutOrWithWrongKey_Returns401()
    {
        using var anonymous = TestEnvironment.Api.CreateClient();
        using var wrong = TestEnvironment.Api.CreateClient();
        wrong.DefaultRequestHeaders.Add("X-Admin-Key", "not-the-key");

        var none = await anonymous.PostAsJsonAsync("/admin/catalog/categories", new { name = "x" });
        var bad = await wrong.GetAsync("/admin/catalog/categories");

        Assert.Multiple(() =>
        {
            Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }
}
