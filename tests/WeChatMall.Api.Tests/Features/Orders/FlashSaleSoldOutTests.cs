using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;
using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Infrastructure.Redis;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Orders.FlashSaleGateTests;
using static WeChatMall.Api.Tests.Features.Orders.OrderTestData;

namespace WeChatMall.Api.Tests.Features.Orders;

/// <summary>
/// Each instance remembers for FlashSale:SoldOutMemoryMilliseconds that a flash-sale SKU's gate was sold out
/// (FlashSaleSoldOut, docs/flash-sale.md): it refuses the next attempts with the gate's own answer without any Redis
/// call, and forgets at once, on every instance, when a unit goes back to the gate.
/// </summary>
public sealed class FlashSaleSoldOutTests
{
    static ApiFactory Api => OrdersEnvironment.Api;

    // Long enough that only the invalidation, never the memory's lifetime, can let a test's next attempt through.
    static readonly Dictionary<string, string?> LongMemory = new() { ["FlashSale:SoldOutMemoryMilliseconds"] = "10000" };

    // And, so that nothing else calls Redis while attempts are observed: sessions remembered for the whole test, the
    // catalog cache generation polled once a minute.
    static readonly Dictionary<string, string?> QuietInstance = new(LongMemory)
    {
        ["Members:SessionCacheSeconds"] = "30", ["Catalog:GenerationPollSeconds"] = "60",
    };

    static async Task<FlashSaleSoldOut> ActiveMemoryAsync(ApiFactory instance)
    {
        var memory = instance.Services.GetRequiredService<FlashSaleSoldOut>();
        for (var i = 0; i < 200 && !memory.Active; i++) await Task.Delay(50);
        Assert.That(memory.Active, Is.True, "the instance subscribed to the flash-sale stock channel");
        return memory;
    }

    // The other instance forgets when the invalidation reaches it: the message's delivery time (well under a second
    // on loopback, far below the 10 s memory). The shortcut answers before anything else runs, so a request sent the
    // instant the publish returned can still arrive first.
    static async Task DeliveredAsync(FlashSaleSoldOut other, long sku)
    {
        for (var i = 0; i < 100 && other.IsSoldOut(sku); i++) await Task.Delay(10);
        Assert.That(other.IsSoldOut(sku), Is.False, "the other instance forgot the SKU when the message arrived");
    }

    static HttpClient On(ApiFactory instance, Shopper s)
    {
        var client = instance.CreateClient();
        client.DefaultRequestHeaders.Authorization = s.Client.DefaultRequestHeaders.Authorization;
        return client;
    }

    /// <summary>
    /// Two instances with a long memory, a flash SKU of one unit and two shoppers; <paramref name="takeTheUnit"/> (on A,
    /// by the first shopper) runs before the second shopper is refused on both, which then remember the SKU sold out.
    /// </summary>
    static async Task<SoldOutOnBoth> SoldOutOnBothAsync(Func<ApiFactory, long, Shopper, long, Task> takeTheUnit)
    {
        var (shoppers, addresses) = await ShoppersAsync(2);
        var sku = await NewFlashSkuAsync(1);
        var (a, b) = (Api.StartSibling(LongMemory), Api.StartSibling(LongMemory));
        var both = new SoldOutOnBoth(a, b, sku, shoppers, addresses, On(a, shoppers[1]), On(b, shoppers[1]));
        try
        {
            await ActiveMemoryAsync(a);
            await ActiveMemoryAsync(b);
            await takeTheUnit(a, both.Sku, shoppers[0], addresses[0]);
            Assert.That((await both.LateOnA.PostAsJsonAsync("/api/orders", Line(both.Sku, addresses[1]))).StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await both.LateOnB.PostAsJsonAsync("/api/orders", Line(both.Sku, addresses[1]))).StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(both.MemoryA.IsSoldOut(both.Sku) && both.MemoryB.IsSoldOut(both.Sku), Is.True, "both instances remember the SKU sold out");
            return both;
        }
        catch
        {
            await both.DisposeAsync();
            throw;
        }
    }

    sealed record SoldOutOnBoth(ApiFactory A, ApiFactory B, long Sku, IReadOnlyList<Shopper> Shoppers, long[] Addresses,
        HttpClient LateOnA, HttpClient LateOnB) : IAsyncDisposable
    {
        public FlashSaleSoldOut MemoryA => A.Services.GetRequiredService<FlashSaleSoldOut>();
        public FlashSaleSoldOut MemoryB => B.Services.GetRequiredService<FlashSaleSoldOut>();

        /// <summary>The late shopper's attempt on B, once B has heard that a unit went back.</summary>
        public async Task<HttpResponseMessage> BuyOnBAfterTheInvalidationAsync()
        {
            await DeliveredAsync(MemoryB, Sku);
            return await LateOnB.PostAsJsonAsync("/api/orders", Line(Sku, Addresses[1]));
        }

        public async ValueTask DisposeAsync()
        {
            LateOnA.Dispose();
            LateOnB.Dispose();
            foreach (var s in Shoppers) s.Dispose();
            await A.DisposeAsync();
            await B.DisposeAsync();
        }
    }

    static async Task<(HttpStatusCode Status, string? ContentType, string Body)> AnswerAsync(HttpResponseMessage r)
    {
        var json = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await r.Content.ReadAsStringAsync())!;
        Assert.That(json.Remove("traceId"), Is.True, "a problem carries its traceId");
        return (r.StatusCode, r.Content.Headers.ContentType?.ToString(),
            string.Join(", ", json.OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value.GetRawText())));
    }

    [Test]
    public async Task RememberedSoldOut_IsRefusedWithTheGatesAnswer_WithoutAnyRedisCall()
    {
        await using var api = Api.StartSibling(QuietInstance);
        var memory = await ActiveMemoryAsync(api);
        var sku = await NewFlashSkuAsync(1);
        var (shoppers, addresses) = await ShoppersAsync(2);
        using var buyer = On(api, shoppers[0]);
        using var late = On(api, shoppers[1]);
        Assert.That((await buyer.PostAsJsonAsync("/api/orders", Line(sku, addresses[0]))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(memory.IsSoldOut(sku), Is.False, "the gate still had the unit when it was asked");
        var fromGate = await AnswerAsync(await late.PostAsJsonAsync("/api/orders", Line(sku, addresses[1])));
        Assert.That(memory.IsSoldOut(sku), Is.True, "the gate's sold-out answer is remembered");

        var rateWindowBefore = await Api.Services.GetRequiredService<IDatabase>().StringGetAsync(RedisKeys.RateLimit("place-order", "m:" + shoppers[1].MemberId));
        var profiling = new ProfilingSession();
        api.Services.GetRequiredService<IConnectionMultiplexer>().RegisterProfiler(() => profiling);
        var remembered = new List<(HttpStatusCode, string?, string)>();
        for (var i = 0; i < 20; i++) remembered.Add(await AnswerAsync(await late.PostAsJsonAsync("/api/orders", Line(sku, addresses[1]))));
        // Every command the instance sent meanwhile, but the callback event stream's background read (CallbackEventWriter).
        var commands = profiling.FinishProfiling().Select(c => c.Command).Where(c => c != "XREADGROUP").ToList();
        var rateWindowAfter = await Api.Services.GetRequiredService<IDatabase>().StringGetAsync(RedisKeys.RateLimit("place-order", "m:" + shoppers[1].MemberId));

        using var forged = api.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "forged-" + Guid.NewGuid().ToString("N"));
        var forgedAnswer = await forged.PostAsJsonAsync("/api/orders", Line(sku, addresses[1]));
        using var anonymous = api.CreateClient();
        var anonymousAnswer = await anonymous.PostAsJsonAsync("/api/orders", Line(sku, addresses[1]));
        // Bad bodies on the remembered SKU are the endpoint's to refuse, as without the memory.
        var malformed = await late.PostAsync("/api/orders", new StringContent("{\"lines\": [", System.Text.Encoding.UTF8, "application/json"));
        var noQuantity = await late.PostAsJsonAsync("/api/orders", Line(sku, addresses[1], quantity: 0));
        // Another SKU that can still be bought goes on to the endpoint with its body intact while the first is remembered.
        var otherSku = await NewFlashSkuAsync(1);
        var other = await late.PostAsJsonAsync("/api/orders", Line(otherSku, addresses[1]));

        Assert.Multiple(async () =>
        {
            Assert.That(fromGate.Status, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(fromGate.Body, Does.Contain("\"OUT_OF_STOCK\""));
            Assert.That(remembered, Is.All.EqualTo(fromGate), "the same status, content type and problem as the gate's refusal");
            Assert.That(commands, Is.Empty, "no Redis call: neither the session, the rate-limit window nor the gate");
            Assert.That((long)rateWindowBefore, Is.GreaterThan(0), "the earlier attempts were counted");
            Assert.That(rateWindowAfter, Is.EqualTo(rateWindowBefore), "a sold-out answer is not counted by the rate limit");
            Assert.That(forgedAnswer.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a forged session is still refused");
            Assert.That((await ReadAsync(forgedAnswer)).GetProperty("code").GetString(), Is.EqualTo("TOKEN_INVALID"));
            Assert.That(anonymousAnswer.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(malformed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await malformed.Content.ReadAsStringAsync());
            Assert.That(noQuantity.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await noQuantity.Content.ReadAsStringAsync());
            Assert.That(await StockAsync(sku), Is.Zero);
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Created), await other.Content.ReadAsStringAsync());
            Assert.That(memory.IsSoldOut(sku), Is.True);
        });
        foreach (var s in shoppers) s.Dispose();
    }

    // Status, every header but the framing and the date, and the body with its traceId blanked.
    static async Task<string> RawAnswerAsync(HttpResponseMessage r)
    {
        var body = System.Text.RegularExpressions.Regex.Replace(await r.Content.ReadAsStringAsync(), "\"traceId\":\"[^\"]*\"", "\"traceId\":\"-\"");
        var headers = r.Headers.Concat(r.Content.Headers)
            .Where(h => h.Key is not ("Date" or "Content-Length" or "Transfer-Encoding"))
            .Select(h => h.Key + ": " + string.Join(",", h.Value)).Order();
        return $"{(int)r.StatusCode}\n{string.Join("\n", headers)}\n\n{body}";
    }

    [Test]
    public async Task RememberedAnswer_IsTheEndpointsAnswerByteForByte_ASessionIsLookedUpOnce()
    {
        await using var api = Api.StartSibling(QuietInstance);
        var memory = await ActiveMemoryAsync(api);
        var sku = await NewFlashSkuAsync(1);
        var (shoppers, addresses) = await ShoppersAsync(3);
        using var buyer = On(api, shoppers[0]);
        using var late = On(api, shoppers[1]);
        Assert.That((await buyer.PostAsJsonAsync("/api/orders", Line(sku, addresses[0], quantity: 1))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var fromGate = await RawAnswerAsync(await late.PostAsJsonAsync("/api/orders", Line(sku, addresses[1], quantity: 2)));
        Assert.That(memory.IsSoldOut(sku), Is.True);
        var remembered = await RawAnswerAsync(await late.PostAsJsonAsync("/api/orders", Line(sku, addresses[1], quantity: 2)));
        var rememberedAgain = await RawAnswerAsync(await late.PostAsJsonAsync("/api/orders", Line(sku, addresses[1], quantity: 2)));
        using var withAccept = On(api, shoppers[1]);
        withAccept.DefaultRequestHeaders.Accept.ParseAdd("application/problem+json");
        var rememberedWithAccept = await RawAnswerAsync(await withAccept.PostAsJsonAsync("/api/orders", Line(sku, addresses[1], quantity: 2)));

        // A valid session this instance has not looked up yet: the shortcut asks Redis for it once, as authentication
        // would, and answers from memory (not counted). A forged one is refused 401 after that one lookup, not two.
        using var stranger = On(api, shoppers[2]);
        var rateKey = RedisKeys.RateLimit("place-order", "m:" + shoppers[2].MemberId);
        var redis = Api.Services.GetRequiredService<IDatabase>();
        var profiling = new ProfilingSession();
        api.Services.GetRequiredService<IConnectionMultiplexer>().RegisterProfiler(() => profiling);
        var ofStranger = await RawAnswerAsync(await stranger.PostAsJsonAsync("/api/orders", Line(sku, addresses[2], quantity: 2)));
        var strangerCommands = profiling.FinishProfiling().Select(c => c.Command).Where(c => c != "XREADGROUP").ToList();
        var counted = await redis.StringGetAsync(rateKey);
        profiling = new ProfilingSession();
        using var forged = api.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "forged-" + Guid.NewGuid().ToString("N"));
        var forgedAnswer = await forged.PostAsJsonAsync("/api/orders", Line(sku, addresses[2]));
        var forgedCommands = profiling.FinishProfiling().Select(c => c.Command).Where(c => c != "XREADGROUP").ToList();

        Assert.Multiple(async () =>
        {
            Assert.That(fromGate, Does.StartWith("409\n").And.Contain("\"OUT_OF_STOCK\"").And.Contain("for 2."));
            Assert.That(remembered, Is.EqualTo(fromGate), "the shortcut writes the endpoint's answer");
            Assert.That(rememberedAgain, Is.EqualTo(fromGate), "its prepared bytes are reused unchanged");
            Assert.That(rememberedWithAccept, Is.EqualTo(fromGate));
            Assert.That(ofStranger, Is.EqualTo(fromGate));
            Assert.That(strangerCommands, Has.Exactly(1).EqualTo("GET").And.None.StartsWith("EVAL"), "the session asked once, then answered from memory");
            Assert.That(counted.HasValue, Is.False, "a sold-out answer is not counted by the rate limit");
            Assert.That(forgedAnswer.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await ReadAsync(forgedAnswer)).GetProperty("code").GetString(), Is.EqualTo("TOKEN_INVALID"));
            Assert.That(forgedCommands, Has.Exactly(1).EqualTo("GET"), "authentication used the shortcut's lookup instead of asking again");
        });
        foreach (var s in shoppers) s.Dispose();
    }

    [Test]
    public async Task MemoryRunOut_OneAttemptAsksTheGateAgain_TheOthersWaitForItsAnswer()
    {
        // A short memory, so that it has run out when the burst arrives; sessions and catalog quiet as above.
        await using var api = Api.StartSibling(new Dictionary<string, string?>(QuietInstance) { ["FlashSale:SoldOutMemoryMilliseconds"] = "300" });
        var memory = await ActiveMemoryAsync(api);
        var sku = await NewFlashSkuAsync(1);
        var (shoppers, addresses) = await ShoppersAsync(2);
        using var buyer = On(api, shoppers[0]);
        using var late = On(api, shoppers[1]);
        Assert.That((await buyer.PostAsJsonAsync("/api/orders", Line(sku, addresses[0]))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var fromGate = await AnswerAsync(await late.PostAsJsonAsync("/api/orders", Line(sku, addresses[1])));
        Assert.That(memory.IsSoldOut(sku), Is.True);
        await Task.Delay(600); // the memory of the SKU ran out

        var profiling = new ProfilingSession();
        api.Services.GetRequiredService<IConnectionMultiplexer>().RegisterProfiler(() => profiling);
        var burst = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ => await AnswerAsync(await late.PostAsJsonAsync("/api/orders", Line(sku, addresses[1])))));
        var commands = profiling.FinishProfiling().Select(c => c.Command).Where(c => c != "XREADGROUP").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(burst, Is.All.EqualTo(fromGate), "every attempt gets the gate's answer");
            Assert.That(commands.Count(c => c.StartsWith("EVAL", StringComparison.Ordinal)), Is.LessThanOrEqualTo(2),
                "one attempt asked the rate-limit window and the gate again; the others waited for its answer: " + string.Join(" ", commands));
            Assert.That(memory.IsSoldOut(sku), Is.True, "the probe's answer renewed the memory");
        });
        foreach (var s in shoppers) s.Dispose();
    }

    [Test]
    public async Task UnitCancelledOnOneInstance_IsBoughtThroughTheOtherRightAfter()
    {
        string? orderNo = null;
        await using var both = await SoldOutOnBothAsync(async (a, sku, buyer, address) =>
        {
            using var buyerOnA = On(a, buyer);
            var first = await buyerOnA.PostAsJsonAsync("/api/orders", Line(sku, address));
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            orderNo = (await ReadAsync(first)).GetProperty("orderNo").GetString();
        });

        using var buyerOnA = On(both.A, both.Shoppers[0]);
        Assert.That((await buyerOnA.PostAsync($"/api/orders/{orderNo}/cancel", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var onB = await both.BuyOnBAfterTheInvalidationAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(onB.StatusCode, Is.EqualTo(HttpStatusCode.Created), await onB.Content.ReadAsStringAsync());
            Assert.That(both.MemoryA.IsSoldOut(both.Sku), Is.False, "the cancelling instance forgot it too");
            Assert.That(await StockAsync(both.Sku), Is.Zero);
        });
    }

    [Test]
    public async Task ReservationGivenBackOnOneInstance_IsBoughtThroughTheOtherRightAfter()
    {
        FlashSaleGate.Pass? pass = null;
        await using var both = await SoldOutOnBothAsync(async (a, sku, buyer, _) =>
        {
            // An order in flight on A holds the last unit in the gate: what OrderPlacer does before its MySQL transaction.
            pass = await a.Services.GetRequiredService<FlashSaleGate>().ReserveAsync(buyer.MemberId, new Dictionary<long, int> { [sku] = 1 }, CancellationToken.None);
            Assert.That(pass.Holds, Has.Count.EqualTo(1));
        });

        // That order failed: the unit goes back.
        await both.A.Services.GetRequiredService<FlashSaleGate>().ReleaseAsync(both.Shoppers[0].MemberId, pass!.Holds);
        var onB = await both.BuyOnBAfterTheInvalidationAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(onB.StatusCode, Is.EqualTo(HttpStatusCode.Created), await onB.Content.ReadAsStringAsync());
            Assert.That(await StockAsync(both.Sku), Is.Zero);
            Assert.That(await GateStockAsync(both.Sku), Is.Zero);
        });
    }
}
