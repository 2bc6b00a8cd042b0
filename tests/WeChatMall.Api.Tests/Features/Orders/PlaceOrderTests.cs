using System.Net;
using System.Net.Http.Json;
using WeChatMall.Api.Features.Orders;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Orders.OrderTestData;

namespace WeChatMall.Api.Tests.Features.Orders;

public sealed class PlaceOrderTests
{
    static ApiFactory Api => OrdersEnvironment.Api;

    [Test]
    public async Task Place_WithPointsBelowFreeShipping_ComputesAmountsTakesStockAndSplitsPayableOverLines()
    {
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(10, 3000, 1550);
        var address = await NewAddressAsync(s);
        await GiveAsync(s.MemberId, 1000);

        var order = await PlaceOkAsync(s, address, [(skus[0], 2), (skus[1], 1)], pointsToUse: 5000);

        var orderNo = order.GetProperty("orderNo").GetString()!;
        var lines = order.GetProperty("lines").EnumerateArray().ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(order.GetProperty("status").GetString(), Is.EqualTo("pending_payment"));
            Assert.That(order.GetProperty("goodsFen").GetInt64(), Is.EqualTo(7550));
            Assert.That(order.GetProperty("discountFen").GetInt64(), Is.EqualTo(0));
            Assert.That(order.GetProperty("pointsUsed").GetInt64(), Is.EqualTo(1000), "capped by the balance");
            Assert.That(order.GetProperty("pointsFen").GetInt64(), Is.EqualTo(1000));
            Assert.That(order.GetProperty("shippingFen").GetInt64(), Is.EqualTo(OrdersEnvironment.ShippingFeeFen));
            Assert.That(order.GetProperty("payableFen").GetInt64(), Is.EqualTo(7550 - 1000 + 800));
            Assert.That(lines.Sum(l => l.GetProperty("paidFen").GetInt64()), Is.EqualTo(7350));
            Assert.That(lines.Select(l => l.GetProperty("unitPriceFen").GetInt64()), Is.EqualTo(new[] { 3000L, 1550L }));
            Assert.That(orderNo, Does.Match("^[0-9]{24}$"));
            Assert.That(order.GetProperty("address").GetProperty("phone").GetString(), Is.EqualTo("13812345678"));
            Assert.That((order.GetProperty("expiresAt").GetDateTime() - order.GetProperty("createdAt").GetDateTime()).TotalMinutes, Is.EqualTo(15).Within(0.01));
            Assert.That(await StockAsync(skus[0]), Is.EqualTo(8));
            Assert.That(await StockAsync(skus[1]), Is.EqualTo(9));
            Assert.That(await BalanceAsync(s.MemberId), Is.EqualTo(0));
            Assert.That(await Api.ScalarAsync<long>("SELECT sales FROM catalog_products p JOIN catalog_skus k ON k.product_id = p.id WHERE k.id = @id",
                new { id = skus[0] }), Is.EqualTo(3));
            Assert.That(order.GetProperty("events")[0].GetProperty("toStatus").GetString(), Is.EqualTo("pending_payment"));
        });
    }

    [Test]
    public async Task Place_PointsCappedByRule_AndFreeShippingAboveThreshold()
    {
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(10, 12_000);
        var address = await NewAddressAsync(s);
        await GiveAsync(s.MemberId, 100_000);

        var order = await PlaceOkAsync(s, address, [(skus[0], 1)], pointsToUse: 100_000);

        Assert.Multiple(async () =>
        {
            // The default redemption rule: 100 points = 1 yuan, at most 50 % of the goods.
            Assert.That(order.GetProperty("pointsUsed").GetInt64(), Is.EqualTo(6000));
            Assert.That(order.GetProperty("pointsFen").GetInt64(), Is.EqualTo(6000));
            Assert.That(order.GetProperty("shippingFen").GetInt64(), Is.EqualTo(0));
            Assert.That(order.GetProperty("payableFen").GetInt64(), Is.EqualTo(6000));
            Assert.That(order.GetProperty("lines")[0].GetProperty("paidFen").GetInt64(), Is.EqualTo(6000));
            Assert.That(await BalanceAsync(s.MemberId), Is.EqualTo(94_000));
        });
    }

    [Test]
    public void Shares_SplitProportionally_SumExactly()
    {
        var parts = Shares.Split(1000, [1, 1, 1]);
        Assert.That(parts, Is.EqualTo(new long[] { 334, 333, 333 }));
        var big = Shares.Split(7_777_777, [3, 5_000_000_000, 7, 123_456]);
        Assert.That(big.Sum(), Is.EqualTo(7_777_777));
    }

    [Test]
    public async Task Place_SameIdempotencyKey_ReturnsFirstOrder_DifferentBodyIs422()
    {
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(10, 500);
        var address = await NewAddressAsync(s);
        var key = Guid.NewGuid().ToString("N");
        var body = new { lines = new[] { new { skuId = skus[0], quantity = 1 } }, addressId = address, pointsToUse = 0 };

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PlaceAsync(s, body, key)));
        var again = await PlaceAsync(s, body, key);
        var different = await PlaceAsync(s, new { lines = new[] { new { skuId = skus[0], quantity = 2 } }, addressId = address, pointsToUse = 0 }, key);

        var numbers = new List<string>();
        foreach (var r in results.Append(again)) numbers.Add((await ReadAsync(r)).GetProperty("orderNo").GetString()!);
        Assert.Multiple(async () =>
        {
            Assert.That(results.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(1));
            Assert.That(results.Append(again).Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(5), "the other taps are replays: 200");
            Assert.That(numbers.Distinct().Count(), Is.EqualTo(1));
            Assert.That(await Api.ScalarAsync<int>("SELECT COUNT(*) FROM orders WHERE member_id = @id", new { id = s.MemberId }), Is.EqualTo(1));
            Assert.That(await StockAsync(skus[0]), Is.EqualTo(9));
            Assert.That(different.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That((await ReadAsync(different)).GetProperty("code").GetString(), Is.EqualTo("IDEMPOTENCY_KEY_REUSED"));
        });
    }

    [Test]
    public async Task Place_OutOfStock_Is409NamingTheSku_AndTakesNothing()
    {
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(3, 500, 600);
        var address = await NewAddressAsync(s);

        var response = await PlaceAsync(s, new { lines = new[] { new { skuId = skus[0], quantity = 1 }, new { skuId = skus[1], quantity = 4 } }, addressId = address });

        var problem = await ReadAsync(response);
        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("OUT_OF_STOCK"));
            Assert.That(problem.GetProperty("skuId").GetInt64(), Is.EqualTo(skus[1]));
            Assert.That(await StockAsync(skus[0]), Is.EqualTo(3), "the first SKU's stock came back with the rollback");
            Assert.That(await Api.ScalarAsync<int>("SELECT COUNT(*) FROM orders WHERE member_id = @id", new { id = s.MemberId }), Is.Zero);
        });
    }

    [Test]
    public async Task Place_OffShelfUnknownSkuOrForeignAddressOrBadBody_ClearRefusals()
    {
        using var s = await LoginAsync();
        using var other = await LoginAsync();
        var skus = await NewSkusAsync(3, 500);
        var address = await NewAddressAsync(s);
        var foreignAddress = await NewAddressAsync(other);
        using var admin = Api.CreateAdminClient();
        var productId = await Api.ScalarAsync<long>("SELECT product_id FROM catalog_skus WHERE id = @id", new { id = skus[0] });
        var offShelfSkus = await NewSkusAsync(3, 700);
        await Api.ScalarAsync<int>("UPDATE catalog_products p JOIN catalog_skus k ON k.product_id = p.id SET p.on_shelf = 0 WHERE k.id = @id", new { id = offShelfSkus[0] });

        var offShelf = await PlaceAsync(s, new { lines = new[] { new { skuId = offShelfSkus[0], quantity = 1 } }, addressId = address });
        var unknown = await PlaceAsync(s, new { lines = new[] { new { skuId = 999_999_999L, quantity = 1 } }, addressId = address });
        var foreign = await PlaceAsync(s, new { lines = new[] { new { skuId = skus[0], quantity = 1 } }, addressId = foreignAddress });
        var tooMany = await PlaceAsync(s, new { lines = new[] { new { skuId = skus[0], quantity = 21 } }, addressId = address });
        var neither = await PlaceAsync(s, new { addressId = address });

        Assert.Multiple(async () =>
        {
            Assert.That(productId, Is.GreaterThan(0));
            Assert.That(offShelf.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That((await ReadAsync(offShelf)).GetProperty("code").GetString(), Is.EqualTo("SKU_OFF_SHELF"));
            Assert.That((await ReadAsync(unknown)).GetProperty("code").GetString(), Is.EqualTo("SKU_NOT_FOUND"));
            Assert.That((await ReadAsync(foreign)).GetProperty("code").GetString(), Is.EqualTo("ADDRESS_NOT_FOUND"));
            Assert.That(tooMany.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(neither.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await StockAsync(skus[0]), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task AnotherMembersOrder_Is404ForReadCancelAndConfirm()
    {
        using var owner = await LoginAsync();
        using var other = await LoginAsync();
        var skus = await NewSkusAsync(3, 500);
        var order = await PlaceOkAsync(owner, await NewAddressAsync(owner), [(skus[0], 1)]);
        var no = order.GetProperty("orderNo").GetString();

        var read = await other.Client.GetAsync($"/api/orders/{no}");
        var cancel = await other.Client.PostAsync($"/api/orders/{no}/cancel", null);
        var confirm = await other.Client.PostAsync($"/api/orders/{no}/confirm-receipt", null);
        var list = await ReadAsync(await other.Client.GetAsync("/api/orders"));

        Assert.Multiple(async () =>
        {
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(confirm.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(list.GetProperty("items").GetArrayLength(), Is.Zero);
            Assert.That(await Api.ScalarAsync<string>("SELECT status FROM orders WHERE order_no = @no", new { no }), Is.EqualTo("pending_payment"));
        });
    }

    [Test]
    public async Task MyOrders_ListsNewestFirst_FiltersByStatus_AndValidates()
    {
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(10, 500);
        var address = await NewAddressAsync(s);
        var first = (await PlaceOkAsync(s, address, [(skus[0], 1)])).GetProperty("orderNo").GetString();
        var second = (await PlaceOkAsync(s, address, [(skus[0], 2)])).GetProperty("orderNo").GetString();
        await s.Client.PostAsync($"/api/orders/{first}/cancel", null);

        var allResponse = await s.Client.GetAsync("/api/orders");
        Assert.That(allResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK), await allResponse.Content.ReadAsStringAsync());
        var all = await ReadAsync(allResponse);
        var cancelled = await ReadAsync(await s.Client.GetAsync("/api/orders?status=cancelled"));
        var bad = await s.Client.GetAsync("/api/orders?status=nope");

        Assert.Multiple(() =>
        {
            Assert.That(all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("orderNo").GetString()), Is.EqualTo(new[] { second, first }));
            Assert.That(all.GetProperty("items")[0].GetProperty("itemCount").GetInt32(), Is.EqualTo(2));
            Assert.That(cancelled.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("orderNo").GetString()), Is.EqualTo(new[] { first }));
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task TenConcurrentCheckoutsRedeemingPoints_NeverOverspend_LedgerLotsAndBalanceAgree()
    {
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(100, 12_000);
        var address = await NewAddressAsync(s);
        await GiveAsync(s.MemberId, 3_000);   // enough for three orders using 1,000 points each

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            PlaceAsync(s, new { lines = new[] { new { skuId = skus[0], quantity = 1 } }, addressId = address, pointsToUse = 1_000 })));

        var used = await Api.ScalarAsync<long>("SELECT COALESCE(SUM(points_used), 0) FROM orders WHERE member_id = @MemberId", s);
        var balance = await BalanceAsync(s.MemberId);
        Assert.Multiple(async () =>
        {
            Assert.That(responses.Select(r => (int)r.StatusCode), Is.All.AnyOf(201, 409), "placed, or refused because the balance moved");
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.GreaterThanOrEqualTo(3));
            Assert.That(used, Is.EqualTo(3_000), "every point spent exactly once: none left unspent while orders asked for more, none twice");
            Assert.That(balance, Is.EqualTo(0));
            Assert.That(await Api.ScalarAsync<long>("SELECT SUM(delta) FROM points_ledger WHERE member_id = @MemberId", s), Is.EqualTo(balance));
            Assert.That(await Api.ScalarAsync<long>("SELECT COALESCE(SUM(remaining), 0) FROM points_lots WHERE member_id = @MemberId", s), Is.EqualTo(balance));
        });
    }
}
