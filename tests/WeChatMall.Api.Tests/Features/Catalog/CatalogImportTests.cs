using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MiniExcelLibs;
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

    const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    static async Task<HttpResponseMessage> ImportXlsxAsync(HttpClient admin, IEnumerable<Dictionary<string, object?>> rows)
    {
        using var workbook = new MemoryStream();
        await workbook.SaveAsAsync(rows, excelType: ExcelType.XLSX);
        var content = new ByteArrayContent(workbook.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(XlsxType);
        return await admin.PostAsync("/admin/catalog/products/import", content);
    }

    static Dictionary<string, object?> Row(object? key, object? category, object? title, object? spec, object? price, object? stock,
        object? onShelf = null) => new()
        {
            ["product_key"] = key, ["category_id"] = category, ["title"] = title, ["spec"] = spec, ["price_fen"] = price,
            ["stock"] = stock, ["on_shelf"] = onShelf,
        };

    [Test]
    public async Task Import_XlsxWorkbook_WithTypedCells_CreatesProducts()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var category = await NewCategoryAsync(admin);

        // Numbers as number cells, a boolean cell, an empty cell: what Excel really stores.
        var response = await ImportXlsxAsync(admin,
        [
            Row("tee", category, "Tee, cotton", "size=M", 3900, 10, true),
            Row("tee", null, null, "size=L", 4100.0, 3),
            Row("mug", category, "Mug", null, "1500", 0, false),
        ]);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var result = await ReadAsync(response);
        var tee = await GetJsonAsync(admin, $"/admin/catalog/products/{result.GetProperty("productIds")[0].GetInt64()}");
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("products").GetInt32(), Is.EqualTo(2));
            Assert.That(result.GetProperty("skus").GetInt32(), Is.EqualTo(3));
            Assert.That(tee.GetProperty("title").GetString(), Is.EqualTo("Tee, cotton"));
            Assert.That(tee.GetProperty("onShelf").GetBoolean(), Is.True);
            Assert.That(tee.GetProperty("skus").EnumerateArray().Select(s => s.GetProperty("priceFen").GetInt64()), Is.EqualTo(new[] { 3900L, 4100L }));
        });
    }

    [Test]
    public async Task Import_XlsxWithBadRows_NamesTheSheetRows_AndImportsNothing()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var category = await NewCategoryAsync(admin);

        var response = await ImportXlsxAsync(admin,
        [
            Row("ok", category, "Fine", null, 100, 1),
            Row("neg", category, "Negative", null, -5, 1),
            Row("frac", category, "Fraction", null, 12.5, 1),
        ]);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        var errors = (await ReadAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name);
        Assert.That(errors, Is.EquivalentTo(new[] { "rows[3].price_fen", "rows[4].price_fen" }), "row 1 is the header");
        Assert.That(Titles(await GetJsonAsync(admin, $"/api/catalog/products?categoryId={category}")), Is.Empty);
    }

    [Test]
    public async Task Import_NotAWorkbook_Returns400()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var content = new ByteArrayContent("product_key,title\nx,y\n"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(XlsxType);

        var response = await admin.PostAsync("/admin/catalog/products/import", content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ReadAsync(response)).GetProperty("errors").GetProperty("file")[0].GetString(), Is.EqualTo("Not a readable .xlsx workbook."));
    }

    [Test]
    public async Task Import_CsvWithBomAndMultiLineField_ReportsTheLineARowStartsOn()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var category = await NewCategoryAsync(admin);
        var csv = $"\uFEFFproduct_key,category_id,title,description,price_fen,stock\n" +
                  $"a,{category},Two lines,\"first line\nsecond \"\"quoted\"\" line\",100,1\n" +
                  "\n" +
                  $"b,{category},Bad,,abc,1\n";

        var response = await ImportAsync(admin, csv);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        var errors = (await ReadAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name);
        Assert.That(errors, Is.EquivalentTo(new[] { "rows[5].price_fen" }), "the header is read through the BOM; lines inside quotes and blank lines count");
    }

    [Test]
    public async Task Import_CsvWithAnUnclosedQuote_IsARowError()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var category = await NewCategoryAsync(admin);

        var response = await ImportAsync(admin, $"product_key,category_id,title,price_fen,stock\nx,{category},\"Open,100,1\n");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name), Does.Contain("rows[2]"));
    }

    [Test]
    public async Task Import_OverTheRowCap_Returns400_BeforeAnyRowIsChecked()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var csv = new StringBuilder("product_key,category_id,title,price_fen,stock\n");
        for (var i = 0; i <= 5000; i++) csv.Append(CultureInfo.InvariantCulture, $"p{i},1,T,100,1\n");

        var response = await ImportAsync(admin, csv.ToString());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await ReadAsync(response)).GetProperty("errors");
        Assert.That(errors.GetProperty("header")[0].GetString(), Is.EqualTo("At most 5000 rows per import."));
        Assert.That(errors.EnumerateObject().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task Import_BodyOver5MB_WithoutContentLength_Returns413()
    {
        using var admin = TestEnvironment.Api.CreateAdminClient();
        var big = Encoding.UTF8.GetBytes("product_key,category_id,title,price_fen,stock\n" + new string('x', 5 * 1024 * 1024 + 10));
        var content = new StreamContent(new NoLengthStream(big));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");

        var response = await admin.PostAsync("/admin/catalog/products/import", content);

        Assert.That(content.Headers.ContentLength, Is.Null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    /// <summary>A body whose length is not known up front (sent chunked, without Content-Length).</summary>
    sealed class NoLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
