using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Catalog;

/// <summary>Creates catalog data through the admin API; every call makes new, uniquely named rows.</summary>
public static class CatalogTestData
{
    public static HttpClient CreateAdminClient(this ApiFactory api)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", ApiFactory.AdminKey);
        return client;
    }

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static async Task<long> NewCategoryAsync(HttpClient admin, long? parentId = null, int sort = 0, string? name = null)
    {
        var response = await admin.PostAsJsonAsync("/admin/catalog/categories", new { name = name ?? Unique("cat"), parentId, sort });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await ReadAsync(response)).GetProperty("id").GetInt64();
    }

    public static object Sku(string colour, string size, long priceFen = 1999, int stock = 10, string? code = null) => new
    {
        spec = new[] { new { name = "colour", value = colour }, new { name = "size", value = size } },
        priceFen, stock, code,
    };

    public static object Product(long categoryId, string? title = null, bool onShelf = true, params object[] skus) => new
    {
        categoryId,
        title = title ?? Unique("product"),
        subtitle = "A subtitle",
        images = new[] { "https://img.example.com/a.jpg", "https://img.example.com/b.jpg" },
        description = "<p>Nice</p>",
        onShelf,
        skus = skus.Length > 0 ? skus : [Sku("red", "M")],
    };

    /// <summary>Creates the product and returns the admin view of it.</summary>
    public static async Task<JsonElement> NewProductAsync(HttpClient admin, object product)
    {
        var response = await admin.PostAsJsonAsync("/admin/catalog/products", product);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await ReadAsync(response);
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{url}: {await response.Content.ReadAsStringAsync()}");
        return await ReadAsync(response);
    }

    public static string[] Titles(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!).ToArray();
}
