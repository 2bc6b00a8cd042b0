using System.Net;
using System.Text;
using static WeChatMall.Api.Tests.Features.Catalog.CatalogTestData;

namespace WeChatMall.Api.Tests.Features.Catalog;

public sealed class CatalogImportTests
{
    static Task<HttpResponseMessage> ImportAsync(HttpClient admin, string csv) =>
        admin.PostAsync("/admin/catalog/products/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

    [Test]
    public async Task Import_ValidCsv_CreatesProductsWithTheirSkus()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var category = await NewCategoryAsync(admin);
        var code = Unique("IMP");
        var csv = $"""
            product_key,category_id,title,images,on_shelf,spec,price_fen,original_price_fen,stock,sku_code
            tee,{category},"Tee, cotton",https://img.example.com/t1.jpg|https://img.example.com/t2.jpg,1,colour=white;size=M,3900,5900,10,{code}-1
            tee,{category},,,,colour=white;size=L,4100,,3,{code}-2
            mug,{category},Mug,,true,,1500,,0,
            """;

        var response = await ImportAsync(admin, csv);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var result = await ReadAsync(response);
        var tee = await GetJsonAsync(admin, $"/api/catalog/products/{result.GetProperty("productIds")[0].GetInt64()}");
        var list = await GetJsonAsync(admin, $"/api/catalog/products?categoryId={category}&sort=price_asc");
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("products").GetInt32(), Is.EqualTo(2));
            Assert.That(result.GetProperty("skus").GetInt32(), Is.EqualTo(3));
            Assert.That(tee.GetProperty("title").GetString(), Is.EqualTo("Tee, cotton"));
            Assert.That(tee.GetProperty("images").GetArrayLength(), Is.EqualTo(2));
            Assert.That(tee.GetProperty("skus").EnumerateArray().Select(s => s.GetProperty("stock").GetInt32()), Is.EqualTo(new[] { 10, 3 }));
            Assert.That(tee.GetProperty("skus")[0].GetProperty("originalPriceFen").GetInt64(), Is.EqualTo(5900));
            Assert.That(Titles(list), Is.EqualTo(new[] { "Mug", "Tee, cotton" }));
        });
    }

    [Test]
    public async Task Import_WithBadRows_Returns400PerRow_AndImportsNothing()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var category = await NewCategoryAsync(admin);
        var csv = $"""
            product_key,category_id,title,spec,price_fen,stock
            ok,{category},Fine product,size=S,100,1
            neg,{category},Negative,size=S,-5,1
            dup,{category},Duplicate spec,size=S,100,1
            dup,{category},,size=s,200,1
            cat,987654321,Unknown category,,100,1
            num,{category},Bad number,,abc,1
            """;

        var response = await ImportAsync(admin, csv);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        var errors = (await ReadAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name);
        Assert.That(errors, Is.EquivalentTo(new[]
        {
            "rows[3].price_fen", "rows[5].spec", "rows[6].category_id", "rows[7].price_fen",
        }));
        Assert.That(Titles(await GetJsonAsync(admin, $"/api/catalog/products?categoryId={category}")), Is.Empty, "nothing half-imported");
    }

    [Test]
    public async Task Import_WithUnknownOrMissingColumns_Returns400NamingThem()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();

        var response = await ImportAsync(admin, "product_key,title,colour\nx,y,z\n");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var messages = (await ReadAsync(response)).GetProperty("errors").GetProperty("header").EnumerateArray().Select(m => m.GetString());
        Assert.That(messages, Is.SupersetOf(new[] { "Unknown column 'colour'.", "Missing column 'category_id'." }));
    }
}
