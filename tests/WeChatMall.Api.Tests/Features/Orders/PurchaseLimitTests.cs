using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Features.Orders;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Orders.OrderTestData;

namespace WeChatMall.Api.Tests.Features.Orders;

/// <summary>Anti-hoarding (issue #13): the open-unpaid-order cap and the per-SKU purchase limit (限购), under the shipped defaults.</summary>
public sealed class PurchaseLimitTests
{
    static ApiFactory Api => OrdersEnvironment.Api;
    static int Cap => Api.Services.GetRequiredService<IOptions<OrderOptions>>().Value.MaxOpenUnpaidOrders;

    static object Lines(long skuId, int quantity, long addressId) => new { lines = new[] { new { skuId, quantity } }, addressId };

    [Test]
    public void MaxOpenUnpaidOrders_ShipsAs3()
        => Assert.That(new OrderOptions().MaxOpenUnpaidOrders, Is.EqualTo(3));

    [Test]
    public async Task Place_OneMoreThanTheOpenOrderCap_Is409TooManyOpenOrders_TakesNoStock_AndCancellingOneFreesASlot()
    {
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(100, 500);
        var address = await NewAddressAsync(s);
        var placed = new List<string>();
        for (var i = 0; i < Cap; i++) placed.Add((await PlaceOkAsync(s, address, [(skus[0], 1)])).GetProperty("orderNo").GetString()!);

        var over = await PlaceAsync(s, Lines(skus[0], 1, address));
        var overBody = await ReadAsync(over);
        var stockAfterRefusal = await StockAsync(skus[0]);
        var cancel = await s.Client.PostAsync($"/api/orders/{placed[0]}/cancel", null);
        var afterCancel = await PlaceAsync(s, Lines(skus[0], 1, address));

        Assert.Multiple(() =>
        {
            Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(overBody.GetProperty("code").GetString(), Is.EqualTo("TOO_MANY_OPEN_ORDERS"));
            Assert.That(overBody.GetProperty("maxOpenOrders").GetInt32(), Is.EqualTo(Cap));
            Assert.That(stockAfterRefusal, Is.EqualTo(100 - Cap), "the refused order took no stock");
            Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(afterCancel.StatusCode, Is.EqualTo(HttpStatusCode.Created), "a cancelled order no longer counts");
        });
    }

    [Test]
    public async Task Place_PaidOrders_DoNotCountAgainstTheOpenOrderCap()
    {
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(100, 500);
        var address = await NewAddressAsync(s);
        for (var i = 0; i < Cap; i++)
            await MarkPaidAsync((await PlaceOkAsync(s, address, [(skus[0], 1)])).GetProperty("orderNo").GetString()!);

        var next = await PlaceAsync(s, Lines(skus[0], 1, address));

        Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.Created), await next.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Place_ParallelAttemptsOfOneMember_NeverMoreOpenOrdersThanTheCap()
    {
        const int Attempts = 8;
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(100, 500);
        var address = await NewAddressAsync(s);

        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, Attempts).Select(async _ =>
        {
            await start.WaitAsync();
            return await PlaceAsync(s, Lines(skus[0], 1, address));
        }).ToList();
        start.Release(Attempts);
        var responses = await Task.WhenAll(tasks);
        var codes = await Task.WhenAll(responses.Where(r => r.StatusCode != HttpStatusCode.Created)
            .Select(async r => (int)r.StatusCode + " " + (await ReadAsync(r)).GetProperty("code").GetString()));

        Assert.Multiple(async () =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(Cap));
            Assert.That(codes, Has.Length.EqualTo(Attempts - Cap).And.All.EqualTo("409 TOO_MANY_OPEN_ORDERS"));
            Assert.That(await Api.ScalarAsync<int>("SELECT COUNT(*) FROM orders WHERE member_id = @m AND status = 'pending_payment'",
                new { m = s.MemberId }), Is.EqualTo(Cap));
            Assert.That(await StockAsync(skus[0]), Is.EqualTo(100 - Cap));
        });
    }

    [Test]
    public async Task AdminSetsPurchaseLimit_OnTheSku_ShownInAdminAndShopDetail()
    {
        var skus = await NewSkusAsync(10, 500);
        var productId = await Api.ScalarAsync<long>("SELECT product_id FROM catalog_skus WHERE id = @id", new { id = skus[0] });

        await SetPurchaseLimitAsync(skus[0], 2);
        using var admin = Api.CreateAdminClient();
        var adminSku = (await ReadAsync(await admin.GetAsync($"/admin/catalog/products/{productId}"))).GetProperty("skus")[0];
        using var anon = Api.CreateClient();
        var shopSku = (await ReadAsync(await anon.GetAsync($"/api/catalog/products/{productId}"))).GetProperty("skus")[0];
        await SetPurchaseLimitAsync(skus[0], null);

        Assert.Multiple(async () =>
        {
            Assert.That(adminSku.GetProperty("purchaseLimit").GetInt32(), Is.EqualTo(2));
            Assert.That(shopSku.GetProperty("purchaseLimit").GetInt32(), Is.EqualTo(2));
            Assert.That(await Api.ScalarAsync<int?>("SELECT purchase_limit FROM catalog_skus WHERE id = @id", new { id = skus[0] }), Is.Null);
        });
    }

    [Test]
    public async Task Place_OverThePurchaseLimit_Is409WithRemaining_PaidCounts_CancelledDoesNot()
    {
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(100, 500, 600);
        await SetPurchaseLimitAsync(skus[0], 3);
        var address = await NewAddressAsync(s);

        var paid = (await PlaceOkAsync(s, address, [(skus[0], 2)])).GetProperty("orderNo").GetString()!;
        await MarkPaidAsync(paid);
        var over = await PlaceAsync(s, new { lines = new[] { new { skuId = skus[1], quantity = 1 }, new { skuId = skus[0], quantity = 2 } }, addressId = address });
        var overBody = await ReadAsync(over);
        var unpaid = (await PlaceOkAsync(s, address, [(skus[0], 1)])).GetProperty("orderNo").GetString()!;
        var none = await PlaceAsync(s, Lines(skus[0], 1, address));
        var noneBody = await ReadAsync(none);
        await s.Client.PostAsync($"/api/orders/{unpaid}/cancel", null);
        var afterCancel = await PlaceAsync(s, Lines(skus[0], 1, address));
        using var other = await LoginAsync();
        var otherMember = await PlaceAsync(other, Lines(skus[0], 3, await NewAddressAsync(other)));

        Assert.Multiple(async () =>
        {
            Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(overBody.GetProperty("code").GetString(), Is.EqualTo("PURCHASE_LIMIT_EXCEEDED"));
            Assert.That(overBody.GetProperty("skuId").GetInt64(), Is.EqualTo(skus[0]));
            Assert.That(overBody.GetProperty("limit").GetInt32(), Is.EqualTo(3));
            Assert.That(overBody.GetProperty("remaining").GetInt32(), Is.EqualTo(1), "2 of 3 are in the paid order");
            Assert.That(await StockAsync(skus[1]), Is.EqualTo(100), "the refused order took no stock of its other line");
            Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(noneBody.GetProperty("remaining").GetInt32(), Is.EqualTo(0), "paid 2 + unpaid 1");
            Assert.That(afterCancel.StatusCode, Is.EqualTo(HttpStatusCode.Created), "the cancelled unit is free again");
            Assert.That(otherMember.StatusCode, Is.EqualTo(HttpStatusCode.Created), "the limit is per member");
        });
    }

    [Test]
    public async Task Place_ParallelAttemptsOfOneMember_NeverMoreUnitsThanThePurchaseLimit()
    {
        const int Attempts = 8, Limit = 2;
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(100, 500);
        await SetPurchaseLimitAsync(skus[0], Limit);
        var address = await NewAddressAsync(s);

        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, Attempts).Select(async _ =>
        {
            await start.WaitAsync();
            return await PlaceAsync(s, Lines(skus[0], 1, address));
        }).ToList();
        start.Release(Attempts);
        var responses = await Task.WhenAll(tasks);
        var refused = await Task.WhenAll(responses.Where(r => r.StatusCode != HttpStatusCode.Created)
            .Select(async r => (await ReadAsync(r)).GetProperty("code").GetString()));

        Assert.Multiple(async () =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(Limit));
            Assert.That(refused, Has.Length.EqualTo(Attempts - Limit).And.All.EqualTo("PURCHASE_LIMIT_EXCEEDED"));
            Assert.That(await Api.ScalarAsync<long>("""
                SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id
                WHERE o.member_id = @m AND l.sku_id = @sku AND o.status <> 'cancelled'
                """, new { m = s.MemberId, sku = skus[0] }), Is.EqualTo(Limit));
        });
    }

    static async Task SetPurchaseLimitAsync(long skuId, int? purchaseLimit)
    {
        using var admin = Api.CreateAdminClient();
        var index = await Api.ScalarAsync<string>("SELECT JSON_UNQUOTE(JSON_EXTRACT(spec, '$[0].value')) FROM catalog_skus WHERE id = @skuId", new { skuId });
        var price = await Api.ScalarAsync<long>("SELECT price_fen FROM catalog_skus WHERE id = @skuId", new { skuId });
        var response = await admin.PutAsJsonAsync($"/admin/catalog/skus/{skuId}", new
        {
            spec = new[] { new { name = "colour", value = index }, new { name = "size", value = "M" } },
            priceFen = price, purchaseLimit,
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
