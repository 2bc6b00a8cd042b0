using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MySqlConnector;
using StackExchange.Redis;
using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Features.Orders;
using WeChatMall.Api.Infrastructure.Redis;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Orders.OrderTestData;

namespace WeChatMall.Api.Tests.Features.Orders;

/// <summary>
/// The flash-sale stock gate (docs/flash-sale.md): SKUs of a product flagged flashSale are reserved in Redis (one Lua
/// step, with the per-member limit) before the MySQL transaction; MySQL stays the source of truth.
/// </summary>
public sealed class FlashSaleGateTests
{
    static ApiFactory Api => OrdersEnvironment.Api;
    static IDatabase Redis => Api.Services.GetRequiredService<IDatabase>();

    internal static async Task<long> NewFlashSkuAsync(int stock, int? purchaseLimit = null)
    {
        using var admin = Api.CreateAdminClient();
        var category = await Catalog.CatalogTestData.NewCategoryAsync(admin);
        var product = await Catalog.CatalogTestData.NewProductAsync(admin, new
        {
            categoryId = category, title = "秒杀 " + Guid.NewGuid().ToString("N")[..8], images = new[] { "https://img.example.com/f.jpg" },
            onShelf = true, flashSale = true,
            skus = new[] { new { spec = new[] { new { name = "size", value = "M" } }, priceFen = 990, stock, purchaseLimit } },
        });
        Assert.That(product.GetProperty("flashSale").GetBoolean(), Is.True);
        return product.GetProperty("skus")[0].GetProperty("id").GetInt64();
    }

    internal static object Line(long sku, long address, int quantity = 1) => new { lines = new[] { new { skuId = sku, quantity } }, addressId = address };

    internal static async Task<int> GateStockAsync(long sku) => (int)await Redis.HashGetAsync(RedisKeys.FlashGate(sku), "stock");

    internal static async Task<(List<Shopper> Shoppers, long[] Addresses)> ShoppersAsync(int count)
    {
        var shoppers = new List<Shopper>();
        for (var batch = 0; batch < count; batch += 10)
            shoppers.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(10, count - batch)).Select(_ => LoginAsync())));
        return (shoppers, await Task.WhenAll(shoppers.Select(s => NewAddressAsync(s))));
    }

    static async Task<List<string?>> CodesAsync(IEnumerable<HttpResponseMessage> responses)
    {
        var codes = new List<string?>();
        foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            codes.Add((await ReadAsync(r)).TryGetProperty("code", out var c) ? c.GetString() : $"HTTP {(int)r.StatusCode}");
        return codes;
    }

    [Test]
    public async Task ConcurrentAttempts_SellExactlyTheStock_GateAndMySqlEndAtZero()
    {
        const int Stock = 25;
        var sku = await NewFlashSkuAsync(Stock);
        var (shoppers, addresses) = await ShoppersAsync(40);

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => PlaceAsync(shoppers[i % 40], Line(sku, addresses[i % 40]))));

        var codes = await CodesAsync(responses);
        Assert.Multiple(async () =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(Stock));
            Assert.That(codes.Distinct(), Is.SubsetOf(new[] { "OUT_OF_STOCK", "TOO_MANY_OPEN_ORDERS" }), string.Join(", ", codes.Distinct()));
            Assert.That(await StockAsync(sku), Is.Zero);
            Assert.That(await GateStockAsync(sku), Is.Zero, "the gate sold what MySQL sold");
            Assert.That(await Api.ScalarAsync<int>("SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE sku_id = @sku", new { sku }), Is.EqualTo(Stock));
        });
        foreach (var s in shoppers) s.Dispose();
    }

    [Test]
    public async Task SoldOut_AttemptsAreRefusedWithoutMySql()
    {
        var sku = await NewFlashSkuAsync(2);
        var (shoppers, addresses) = await ShoppersAsync(3);
        var server = new MySqlConnectionStringBuilder(TestServers.MySqlServer);
        await using var proxy = new TcpProxy($"{server.Server}:{server.Port}");
        await using var api = Api.StartSibling(new Dictionary<string, string?>
        {
            ["ConnectionStrings:MySql"] = new MySqlConnectionStringBuilder(TestServers.MySqlFor(Api.Database)) { Port = (uint)proxy.Port }.ConnectionString,
        });
        HttpClient ClientOf(Shopper s)
        {
            var c = api.CreateClient();
            c.DefaultRequestHeaders.Authorization = s.Client.DefaultRequestHeaders.Authorization;
            return c;
        }
        using var first = ClientOf(shoppers[0]);
        using var late = ClientOf(shoppers[2]);
        Assert.That((await first.PostAsJsonAsync("/api/orders", Line(sku, addresses[0], 2))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        // The member's tier discount claim is looked up in MySQL once a minute per instance (TierDiscountClaims): warm it.
        Assert.That((await late.PostAsJsonAsync("/api/orders", Line(sku, addresses[2]))).StatusCode, Is.EqualTo(HttpStatusCode.Conflict));

        proxy.Stop(); // MySQL is gone for this instance: only the gate can answer now
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => late.PostAsJsonAsync("/api/orders", Line(sku, addresses[2]))));

        var codes = await CodesAsync(attempts);
        Assert.Multiple(() =>
        {
            Assert.That(attempts.Select(a => a.StatusCode), Is.All.EqualTo(HttpStatusCode.Conflict), string.Join(", ", codes));
            Assert.That(codes, Is.All.EqualTo("OUT_OF_STOCK"));
        });
        foreach (var s in shoppers) s.Dispose();
    }

    [Test]
    public async Task GateDeletedOrWrongMidSale_NoOversell_GateRebuiltFromMySql()
    {
        const int Stock = 20;
        var sku = await NewFlashSkuAsync(Stock);
        var (shoppers, addresses) = await ShoppersAsync(30);
        using var stop = new CancellationTokenSource();
        var vandal = Task.Run(async () =>
        {
            // What a flush, a failover to an empty replica or a corrupted value does to the gate, over and over.
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                if (i % 2 == 0) await Redis.KeyDeleteAsync([RedisKeys.FlashGate(sku), RedisKeys.FlashHeld(sku), RedisKeys.FlashEpoch(sku)]);
                else await Redis.HashSetAsync(RedisKeys.FlashGate(sku), "stock", 1000);
                await Task.Delay(15);
            }
        });

        var responses = await Task.WhenAll(Enumerable.Range(0, 150).Select(i => PlaceAsync(shoppers[i % 30], Line(sku, addresses[i % 30]))));
        await stop.CancelAsync();
        await vandal;
        await Redis.KeyDeleteAsync([RedisKeys.FlashGate(sku), RedisKeys.FlashHeld(sku)]);
        // A gate deleted behind the app's back (no invalidation) is seen once the sold-out memory has run out.
        await Task.Delay(Api.Services.GetRequiredService<IOptions<FlashSaleOptions>>().Value.SoldOutMemoryMilliseconds + 50);
        using var more = await LoginAsync();
        var after = await PlaceAsync(more, Line(sku, await NewAddressAsync(more)));

        Assert.Multiple(async () =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(Stock), "never an order too many");
            Assert.That(await StockAsync(sku), Is.Zero);
            Assert.That(await Api.ScalarAsync<int>("SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE sku_id = @sku", new { sku }), Is.EqualTo(Stock));
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(await Redis.KeyExistsAsync(RedisKeys.FlashGate(sku)), Is.True, "the attempt rebuilt the gate");
            Assert.That(await GateStockAsync(sku), Is.Zero, "rebuilt from MySQL's stock");
        });
        foreach (var s in shoppers) s.Dispose();
    }

    [Test]
    public async Task CancelledOrExpiredOrder_GivesItsUnitBackToTheGate()
    {
        var sku = await NewFlashSkuAsync(1);
        var (shoppers, addresses) = await ShoppersAsync(3);
        var first = await PlaceAsync(shoppers[0], Line(sku, addresses[0]));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var refused = await PlaceAsync(shoppers[1], Line(sku, addresses[1]));
        Assert.That((await ReadAsync(refused)).GetProperty("code").GetString(), Is.EqualTo("OUT_OF_STOCK"));

        var orderNo = (await ReadAsync(first)).GetProperty("orderNo").GetString();
        Assert.That((await shoppers[0].Client.PostAsync($"/api/orders/{orderNo}/cancel", null)).IsSuccessStatusCode, Is.True);
        var second = await PlaceAsync(shoppers[1], Line(sku, addresses[1]));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Created), "the cancelled unit is sold again");

        var secondNo = (await ReadAsync(second)).GetProperty("orderNo").GetString();
        await Api.ScalarAsync<int>("UPDATE orders SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE order_no = @secondNo", new { secondNo });
        await Api.Services.GetRequiredService<OrderJobs>().RunOnceAsync(CancellationToken.None);
        var third = await PlaceAsync(shoppers[2], Line(sku, addresses[2]));

        Assert.Multiple(async () =>
        {
            Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.Created), "the expired unit is sold again");
            Assert.That(await StockAsync(sku), Is.Zero);
            Assert.That(await GateStockAsync(sku), Is.Zero);
        });
        foreach (var s in shoppers) s.Dispose();
    }

    [Test]
    public async Task PerMemberLimit_HoldsUnderConcurrency_InTheGate()
    {
        const int Limit = 2;
        var sku = await NewFlashSkuAsync(100, Limit);
        var (shoppers, addresses) = await ShoppersAsync(5);

        var responses = await Task.WhenAll(shoppers.SelectMany((s, i) => Enumerable.Range(0, 10).Select(_ => PlaceAsync(s, Line(sku, addresses[i])))));

        var codes = await CodesAsync(responses);
        var held = await Redis.HashGetAllAsync(RedisKeys.FlashHeld(sku));
        Assert.Multiple(async () =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(shoppers.Count * Limit));
            Assert.That(codes, Is.All.EqualTo("PURCHASE_LIMIT_EXCEEDED"));
            foreach (var s in shoppers)
                Assert.That(await Api.ScalarAsync<int>("""
                    SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.sku_id = @sku AND o.member_id = @m
                    """, new { sku, m = s.MemberId }), Is.EqualTo(Limit));
            Assert.That(held.ToDictionary(h => (long)h.Name, h => (int)h.Value), Is.EqualTo(shoppers.ToDictionary(s => s.MemberId, _ => Limit)),
                "the gate counts each member's units");
            Assert.That(await GateStockAsync(sku), Is.EqualTo(100 - shoppers.Count * Limit));
        });
        foreach (var s in shoppers) s.Dispose();
    }

    [Test]
    public async Task RedisDown_OrderGoesToMySqlWithoutTheGate()
    {
        var sku = await NewFlashSkuAsync(3);
        var (shoppers, addresses) = await ShoppersAsync(1);
        await using var redis = await RedisProcess.StartAsync();
        await using var api = Api.StartSibling(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString });
        var placer = api.Services.GetRequiredService<OrderPlacer>();
        PlaceOrderRequest Request(int quantity) => new([new OrderLineRequest(sku, quantity)], null, addresses[0], 0, null);
        Assert.That(await placer.PlaceAsync(shoppers[0].MemberId, Request(1), null, CancellationToken.None), Is.TypeOf<PlaceOutcome.Placed>());

        redis.Stop();
        var placed = await placer.PlaceAsync(shoppers[0].MemberId, Request(2), null, CancellationToken.None);
        var refused = await placer.PlaceAsync(shoppers[0].MemberId, Request(1), null, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(placed, Is.TypeOf<PlaceOutcome.Placed>(), "MySQL decides alone while Redis is down");
            Assert.That(refused, Is.TypeOf<PlaceOutcome.Refused>(), "and still never oversells");
            Assert.That(await StockAsync(sku), Is.Zero);
        });
        foreach (var s in shoppers) s.Dispose();
    }
}
