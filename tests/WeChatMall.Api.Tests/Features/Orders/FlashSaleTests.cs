using System.Diagnostics;
using System.Net;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Orders.OrderTestData;

namespace WeChatMall.Api.Tests.Features.Orders;

public sealed class FlashSaleTests
{
    static ApiFactory Api => OrdersEnvironment.Api;

    [Test]
    public async Task FlashSale_1000ConcurrentAttemptsOnStock50_Exactly50Orders_StockZero_TheRestOutOfStock()
    {
        const int Members = 100, AttemptsEach = 10, Stock = 50;
        var skus = await NewSkusAsync(Stock, 990);
        var shoppers = new List<Shopper>();
        for (var batch = 0; batch < Members / 20; batch++)
            shoppers.AddRange(await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => LoginAsync())));
        var addresses = await Task.WhenAll(shoppers.Select(s => NewAddressAsync(s)));

        // (The stock is never negative by the column's CHECK; what can go wrong is an order too many or a refusal with
        // stock left, which the counts below catch.)
        using var start = new SemaphoreSlim(0);
        var attempts = shoppers.SelectMany((s, i) => Enumerable.Range(0, AttemptsEach).Select(async _ =>
        {
            await start.WaitAsync();
            return await PlaceAsync(s, new { lines = new[] { new { skuId = skus[0], quantity = 1 } }, addressId = addresses[i] });
        })).ToList();
        var clock = Stopwatch.StartNew();
        start.Release(attempts.Count);
        var responses = await Task.WhenAll(attempts);
        clock.Stop();

        var created = responses.Count(r => r.StatusCode == HttpStatusCode.Created);
        var soldOut = responses.Count(r => r.StatusCode == HttpStatusCode.Conflict);
        TestContext.Out.WriteLine($"flash sale: {responses.Length} attempts in {clock.Elapsed.TotalSeconds:F2} s = " +
                                  $"{responses.Length / clock.Elapsed.TotalSeconds:F0} attempts/s; {created} created, {soldOut} sold out");
        var refusals = new List<string?>();
        foreach (var r in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            refusals.Add((await ReadAsync(r)).GetProperty("code").GetString());
        var others = new List<string>();
        foreach (var r in responses.Where(r => r.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict)))
            others.Add($"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        Assert.Multiple(async () =>
        {
            Assert.That(others, Is.Empty, "every attempt is an order or a sold-out 409");
            Assert.That(created, Is.EqualTo(Stock));
            Assert.That(soldOut, Is.EqualTo(responses.Length - Stock));
            Assert.That(await StockAsync(skus[0]), Is.Zero);
            // A member's 4th unpaid order meets the open-order cap (Orders:MaxOpenUnpaidOrders) before the stock.
            Assert.That(refusals.Distinct().Order(), Is.EqualTo(new[] { "OUT_OF_STOCK", "TOO_MANY_OPEN_ORDERS" }).Or.EqualTo(new[] { "OUT_OF_STOCK" }),
                "every refusal says why: out of stock, or the member's open-order cap");
            Assert.That(refusals.Count(r => r == "OUT_OF_STOCK"), Is.GreaterThan(0));
            Assert.That(await Api.ScalarAsync<int>("SELECT COUNT(*) FROM order_lines WHERE sku_id = @id", new { id = skus[0] }), Is.EqualTo(Stock));
            Assert.That(await Api.ScalarAsync<int>("SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE sku_id = @id", new { id = skus[0] }), Is.EqualTo(Stock));
        });
        foreach (var s in shoppers) s.Dispose();
    }

    [Test]
    public async Task ConcurrentOrdersOfTwoSkusInEitherLineOrder_NoDeadlockFailures_NoOversell()
    {
        const int Stock = 30, Attempts = 60;
        var skus = await NewSkusAsync(Stock, 500, 700);
        var shoppers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => LoginAsync()));
        var addresses = await Task.WhenAll(shoppers.Select(s => NewAddressAsync(s)));

        var responses = await Task.WhenAll(Enumerable.Range(0, Attempts).Select(i =>
        {
            var lines = i % 2 == 0
                ? new[] { new { skuId = skus[0], quantity = 1 }, new { skuId = skus[1], quantity = 1 } }
                : new[] { new { skuId = skus[1], quantity = 1 }, new { skuId = skus[0], quantity = 1 } };
            return PlaceAsync(shoppers[i % shoppers.Length], new { lines, addressId = addresses[i % shoppers.Length] });
        }));

        Assert.Multiple(async () =>
        {
            Assert.That(responses.Select(r => r.StatusCode), Is.All.AnyOf(HttpStatusCode.Created, HttpStatusCode.Conflict));
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(Stock));
            Assert.That(await StockAsync(skus[0]), Is.Zero);
            Assert.That(await StockAsync(skus[1]), Is.Zero);
        });
        foreach (var s in shoppers) s.Dispose();
    }
}
