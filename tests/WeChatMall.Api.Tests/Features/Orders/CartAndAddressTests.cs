using System.Net;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Orders.OrderTestData;

namespace WeChatMall.Api.Tests.Features.Orders;

public sealed class CartAndAddressTests
{
    static ApiFactory Api => OrdersEnvironment.Api;

    [Test]
    public async Task Cart_AddSetRemove_ListsPricesAndAvailability_AndEnforcesLimits()
    {
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(3, 1000, 2000);

        await s.Client.PostAsJsonAsync("/api/cart/items", new { skuId = skus[0], quantity = 2 });
        var added = await s.Client.PostAsJsonAsync("/api/cart/items", new { skuId = skus[0], quantity = 2 });
        await s.Client.PostAsJsonAsync("/api/cart/items", new { skuId = skus[1], quantity = 1 });
        var overQuantity = await s.Client.PostAsJsonAsync("/api/cart/items", new { skuId = skus[0], quantity = 17 });
        var unknown = await s.Client.PostAsJsonAsync("/api/cart/items", new { skuId = 999_999_999L, quantity = 1 });
        var set = await s.Client.PutAsJsonAsync($"/api/cart/items/{skus[1]}", new { quantity = 2 });
        var setZero = await s.Client.PutAsJsonAsync($"/api/cart/items/{skus[1]}", new { quantity = 0 });
        var cart = await ReadAsync(await s.Client.GetAsync("/api/cart"));

        Assert.Multiple(async () =>
        {
            Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(overQuantity.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That((await ReadAsync(overQuantity)).GetProperty("code").GetString(), Is.EqualTo("QUANTITY_LIMIT"));
            Assert.That((await ReadAsync(unknown)).GetProperty("code").GetString(), Is.EqualTo("SKU_NOT_FOUND"));
            Assert.That(set.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(setZero.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            var lines = cart.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("skuId").GetInt64());
            Assert.That(lines[skus[0]].GetProperty("quantity").GetInt32(), Is.EqualTo(4));
            Assert.That(lines[skus[0]].GetProperty("available").GetBoolean(), Is.False, "4 wanted, 3 in stock");
            Assert.That(lines[skus[1]].GetProperty("quantity").GetInt32(), Is.EqualTo(2));
            Assert.That(lines[skus[1]].GetProperty("available").GetBoolean(), Is.True);
            Assert.That(lines[skus[1]].GetProperty("priceFen").GetInt64(), Is.EqualTo(2000));
            Assert.That(lines[skus[1]].GetProperty("tierPriceFen").GetInt64(), Is.EqualTo(2000));
            Assert.That(cart.GetProperty("totalFen").GetInt64(), Is.EqualTo(4000), "only available lines count");
        });

        var removed = await s.Client.DeleteAsync($"/api/cart/items/{skus[0]}");
        var removedAgain = await s.Client.DeleteAsync($"/api/cart/items/{skus[0]}");
        Assert.Multiple(() =>
        {
            Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(removedAgain.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task Cart_Full_Is422_AndOrderFromCartConsumesOnlyThoseLines()
    {
        using var s = await LoginAsync();
        var skus = await NewSkusAsync(10, 100, 200, 300, 400, 500, 600);
        foreach (var id in skus[..5])
            Assert.That((await s.Client.PostAsJsonAsync("/api/cart/items", new { skuId = id, quantity = 1 })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var full = await s.Client.PostAsJsonAsync("/api/cart/items", new { skuId = skus[5], quantity = 1 });
        await s.Client.PutAsJsonAsync($"/api/cart/items/{skus[1]}", new { quantity = 3 });

        var placed = await PlaceAsync(s, new { cartSkuIds = new[] { skus[0], skus[1] }, addressId = await NewAddressAsync(s) });
        var order = await ReadAsync(placed);
        var cart = await ReadAsync(await s.Client.GetAsync("/api/cart"));

        Assert.Multiple(async () =>
        {
            Assert.That((await ReadAsync(full)).GetProperty("code").GetString(), Is.EqualTo("CART_FULL"));
            Assert.That(placed.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(order.GetProperty("goodsFen").GetInt64(), Is.EqualTo(100 + 3 * 200));
            Assert.That(cart.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("skuId").GetInt64()),
                Is.EquivalentTo(new[] { skus[2], skus[3], skus[4] }));
            Assert.That(await StockAsync(skus[1]), Is.EqualTo(7));
        });
    }

    [Test]
    public async Task OrderFromCart_WithAChosenSkuNotInTheCart_Is422NamingIt_AndChangesNothing()
    {
        using var s = await LoginAsync();
        using var other = await LoginAsync();
        var skus = await NewSkusAsync(10, 100, 200);
        await s.Client.PostAsJsonAsync("/api/cart/items", new { skuId = skus[0], quantity = 2 });
        await other.Client.PostAsJsonAsync("/api/cart/items", new { skuId = skus[1], quantity = 1 }); // in someone else's cart only

        var refused = await PlaceAsync(s, new { cartSkuIds = new[] { skus[0], skus[1] }, addressId = await NewAddressAsync(s) });
        var problem = await ReadAsync(refused);
        var cart = await ReadAsync(await s.Client.GetAsync("/api/cart"));
        var orders = await ReadAsync(await s.Client.GetAsync("/api/orders"));

        Assert.Multiple(async () =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("CART_LINE_NOT_FOUND"));
            Assert.That(problem.GetProperty("skuId").GetInt64(), Is.EqualTo(skus[1]));
            Assert.That(cart.GetProperty("lines").EnumerateArray().Select(l => (l.GetProperty("skuId").GetInt64(), l.GetProperty("quantity").GetInt32())),
                Is.EquivalentTo(new[] { (skus[0], 2) }));
            Assert.That(orders.GetProperty("items").GetArrayLength(), Is.EqualTo(0));
            Assert.That(await StockAsync(skus[0]), Is.EqualTo(10));
            Assert.That(await StockAsync(skus[1]), Is.EqualTo(10));
            Assert.That(await Api.ScalarAsync<int>("SELECT quantity FROM cart_items WHERE member_id = @id", new { id = other.MemberId }), Is.EqualTo(1),
                "the other member's cart line is untouched");
        });
    }

    [Test]
    public async Task Addresses_FirstIsDefault_DefaultMoves_DeletePromotes_OthersAre404_Validation()
    {
        using var s = await LoginAsync();
        using var other = await LoginAsync();
        var first = await NewAddressAsync(s);
        var second = await ReadAsync(await s.Client.PostAsJsonAsync("/api/me/addresses", new
        {
            recipient = "李四", phone = "+86 139-1234-5678", province = "北京市", city = "北京市", district = "朝阳区", detail = "某路 2 号", isDefault = true,
        }));
        var list = await ReadAsync(await s.Client.GetAsync("/api/me/addresses"));
        var bad = await s.Client.PostAsJsonAsync("/api/me/addresses", new { recipient = "", phone = "abc", province = "x", city = "y", district = "z", detail = "d" });
        var foreignUpdate = await other.Client.PutAsJsonAsync($"/api/me/addresses/{first}", new
        {
            recipient = "x", phone = "13800000000", province = "x", city = "y", district = "z", detail = "d",
        });
        var foreignDelete = await other.Client.DeleteAsync($"/api/me/addresses/{first}");
        var secondId = second.GetProperty("id").GetInt64();
        var deleted = await s.Client.DeleteAsync($"/api/me/addresses/{secondId}");
        var after = await ReadAsync(await s.Client.GetAsync("/api/me/addresses"));

        Assert.Multiple(async () =>
        {
            Assert.That(second.GetProperty("isDefault").GetBoolean(), Is.True);
            Assert.That(list.EnumerateArray().Count(a => a.GetProperty("isDefault").GetBoolean()), Is.EqualTo(1));
            Assert.That(list[0].GetProperty("id").GetInt64(), Is.EqualTo(secondId));
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            var errors = (await ReadAsync(bad)).GetProperty("errors");
            Assert.That(errors.TryGetProperty("recipient", out _) && errors.TryGetProperty("phone", out _), Is.True);
            Assert.That(foreignUpdate.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(foreignDelete.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(after.GetArrayLength(), Is.EqualTo(1));
            Assert.That(after[0].GetProperty("id").GetInt64(), Is.EqualTo(first));
            Assert.That(after[0].GetProperty("isDefault").GetBoolean(), Is.True, "the remaining address was promoted");
            Assert.That(await Api.ScalarAsync<int>("SELECT COUNT(*) FROM member_addresses WHERE member_id = @id", new { id = other.MemberId }), Is.Zero);
        });
    }

    [Test]
    public async Task MemberMerge_KeepsAllOrders_MovesAddresses_MergesCartLinesCapped()
    {
        using var survivor = await LoginAsync();
        using var merged = await LoginAsync();
        var skus = await NewSkusAsync(50, 300, 400);
        var sOrder = (await PlaceOkAsync(survivor, await NewAddressAsync(survivor), [(skus[0], 1)])).GetProperty("orderNo").GetString();
        var mAddress = await NewAddressAsync(merged);
        var mOrder1 = (await PlaceOkAsync(merged, mAddress, [(skus[0], 1)])).GetProperty("orderNo").GetString();
        var mOrder2 = (await PlaceOkAsync(merged, mAddress, [(skus[1], 2)])).GetProperty("orderNo").GetString();
        await survivor.Client.PostAsJsonAsync("/api/cart/items", new { skuId = skus[0], quantity = 15 });
        await merged.Client.PostAsJsonAsync("/api/cart/items", new { skuId = skus[0], quantity = 10 });
        await merged.Client.PostAsJsonAsync("/api/cart/items", new { skuId = skus[1], quantity = 2 });
        using var admin = Api.CreateAdminClient();

        var merge = await admin.PostAsJsonAsync($"/admin/members/{survivor.MemberId}/merge", new { mergedMemberId = merged.MemberId, reason = "same person" });
        var orders = await ReadAsync(await survivor.Client.GetAsync("/api/orders"));
        var addresses = await ReadAsync(await survivor.Client.GetAsync("/api/me/addresses"));
        var cart = await ReadAsync(await survivor.Client.GetAsync("/api/cart"));

        Assert.Multiple(async () =>
        {
            Assert.That(merge.StatusCode, Is.EqualTo(HttpStatusCode.OK), await merge.Content.ReadAsStringAsync());
            Assert.That(orders.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("orderNo").GetString()),
                Is.EquivalentTo(new[] { sOrder, mOrder1, mOrder2 }));
            Assert.That(await Api.ScalarAsync<int>("SELECT COUNT(*) FROM orders WHERE member_id = @id", new { id = merged.MemberId }), Is.Zero);
            Assert.That(addresses.GetArrayLength(), Is.EqualTo(2));
            Assert.That(addresses.EnumerateArray().Count(a => a.GetProperty("isDefault").GetBoolean()), Is.EqualTo(1));
            var lines = cart.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("skuId").GetInt64(), l => l.GetProperty("quantity").GetInt32());
            Assert.That(lines[skus[0]], Is.EqualTo(20), "15 + 10 capped at Orders:MaxQuantity 20");
            Assert.That(lines[skus[1]], Is.EqualTo(2));
            Assert.That(await Api.ScalarAsync<int>("SELECT COUNT(*) FROM cart_items WHERE member_id = @id", new { id = merged.MemberId }), Is.Zero);
        });
    }
}
