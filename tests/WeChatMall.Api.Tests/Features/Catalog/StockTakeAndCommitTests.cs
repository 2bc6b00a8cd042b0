using Dapper;
using MySqlConnector;
using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Catalog;

/// <summary>
/// <see cref="Stock.TakeAndCommitAsync"/>: an order's stock, its sales counters and the commit in one round trip — all of
/// the transaction or none of it.
/// </summary>
public sealed class StockTakeAndCommitTests
{
    [Test]
    public async Task EnoughOfEverySku_TakesEach_CountsSalesPerProduct_AndCommitsTheTransaction()
    {
        var (first, second, other) = await ThreeSkusAsync(stocks: [5, 3, 2]);

        var (shortSku, earlierWriteKept) = await TakeAsync([new(first.Sku, first.Product, 2), new(other.Sku, other.Product, 2), new(second.Sku, second.Product, 3)]);

        Assert.Multiple(async () =>
        {
            Assert.That(shortSku, Is.Null);
            Assert.That(earlierWriteKept, Is.True, "the transaction's earlier write is committed with the stock");
            Assert.That(await StockAsync(first.Sku), Is.EqualTo(3));
            Assert.That(await StockAsync(second.Sku), Is.EqualTo(0), "exactly the stock there was");
            Assert.That(await StockAsync(other.Sku), Is.EqualTo(0));
            Assert.That(await SalesAsync(first.Product), Is.EqualTo(5), "two SKUs of one product: 2 + 3");
            Assert.That(await SalesAsync(other.Product), Is.EqualTo(2));
        });
    }

    [TestCase(0, TestName = "{m}(first of three)")]
    [TestCase(1, TestName = "{m}(second of three)")]
    [TestCase(2, TestName = "{m}(last of three)")]
    public async Task OneSkuShort_NamesIt_AndNothingOfTheTransactionIsCommitted(int shortIndex)
    {
        var (first, second, other) = await ThreeSkusAsync(stocks: [5, 3, 2]);
        SkuOf[] inIdOrder = [.. new[] { first, second, other }.OrderBy(s => s.Sku)];
        var stocks = new Dictionary<long, int> { [first.Sku] = 5, [second.Sku] = 3, [other.Sku] = 2 };

        var (shortSku, earlierWriteKept) = await TakeAsync(
            [.. inIdOrder.Select((s, i) => new Stock.OrderLineTake(s.Sku, s.Product, i == shortIndex ? stocks[s.Sku] + 1 : 1))]);

        Assert.Multiple(async () =>
        {
            Assert.That(shortSku, Is.EqualTo(inIdOrder[shortIndex].Sku));
            Assert.That(earlierWriteKept, Is.False, "the transaction's earlier write is rolled back");
            foreach (var (sku, stock) in stocks) Assert.That(await StockAsync(sku), Is.EqualTo(stock), $"SKU {sku}");
            Assert.That(await SalesAsync(first.Product), Is.Zero);
            Assert.That(await SalesAsync(other.Product), Is.Zero);
        });
    }

    static ApiFactory Api => TestEnvironment.Api;

    /// <summary>
    /// Writes a marker in the transaction first (as an order's rows are), then takes; the transaction object is then
    /// disposed without a commit of its own, so whatever stays was committed by the take.
    /// </summary>
    static async Task<(long? ShortSku, bool EarlierWriteKept)> TakeAsync(IReadOnlyList<Stock.OrderLineTake> lines)
    {
        var marker = CatalogTestData.Unique("tx");
        var productId = lines[0].ProductId;
        long? shortSku;
        await using (var c = new MySqlConnection(TestServers.MySqlFor(Api.Database)))
        {
            await c.OpenAsync();
            await using var tx = await c.BeginTransactionAsync();
            await c.ExecuteAsync("UPDATE catalog_products SET subtitle = @marker WHERE id = @productId", new { marker, productId }, tx);
            shortSku = await Stock.TakeAndCommitAsync(c, tx, lines, DateTime.UtcNow, CancellationToken.None);
        }
        var kept = await Api.ScalarAsync<long>("SELECT COUNT(*) FROM catalog_products WHERE subtitle = @marker", new { marker }) == 1;
        return (shortSku, kept);
    }

    sealed record SkuOf(long Sku, long Product);

    /// <summary>Two SKUs of one product and one of another, with the given stocks.</summary>
    static async Task<(SkuOf First, SkuOf Second, SkuOf Other)> ThreeSkusAsync(int[] stocks)
    {
        using var admin = Api.CreateAdminClient();
        var category = await CatalogTestData.NewCategoryAsync(admin);
        var one = await CatalogTestData.NewProductAsync(admin, CatalogTestData.Product(category, skus:
            [CatalogTestData.Sku("red", "M", stock: stocks[0]), CatalogTestData.Sku("red", "L", stock: stocks[1])]));
        var two = await CatalogTestData.NewProductAsync(admin, CatalogTestData.Product(category, skus: [CatalogTestData.Sku("blue", "M", stock: stocks[2])]));
        var oneSkus = one.GetProperty("skus").EnumerateArray().Select(s => s.GetProperty("id").GetInt64()).Order().ToArray();
        var oneId = one.GetProperty("id").GetInt64();
        var twoId = two.GetProperty("id").GetInt64();
        return (new(oneSkus[0], oneId), new(oneSkus[1], oneId), new(two.GetProperty("skus")[0].GetProperty("id").GetInt64(), twoId));
    }

    static Task<int> StockAsync(long skuId) => Api.ScalarAsync<int>("SELECT stock FROM catalog_skus WHERE id = @skuId", new { skuId });

    static Task<int> SalesAsync(long productId) => Api.ScalarAsync<int>("SELECT sales FROM catalog_products WHERE id = @productId", new { productId });
}
