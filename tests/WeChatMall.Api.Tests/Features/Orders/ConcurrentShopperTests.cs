using System.Net;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Orders.OrderTestData;

namespace WeChatMall.Api.Tests.Features.Orders;

/// <summary>
/// Shoppers save addresses at the same moment: InnoDB's next-key locks on the member index make neighbouring
/// members' writes collide, and a collision must be retried, never answered with a 500.
/// </summary>
public sealed class ConcurrentShopperTests
{
    [Test]
    public async Task ManyMembersFillingCartsAtOnce_AllSucceed()
    {
        var skus = await NewSkusAsync(1000, 100, 200, 300);
        var shoppers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => LoginAsync()));
        try
        {
            var responses = await Task.WhenAll(shoppers.SelectMany(s => skus.Select(sku =>
                s.Client.PostAsJsonAsync("/api/cart/items", new { skuId = sku, quantity = 1 }))));
            var failures = new List<string>();
            foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
                failures.Add($"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            Assert.That(failures, Is.Empty);
            foreach (var s in shoppers)
                Assert.That(await OrdersEnvironment.Api.ScalarAsync<int>(
                    "SELECT COUNT(*) FROM cart_items WHERE member_id = @id", new { id = s.MemberId }), Is.EqualTo(skus.Length));
        }
        finally
        {
            foreach (var s in shoppers) s.Dispose();
        }
    }

    [Test]
    public async Task ManyMembersSavingDefaultAddressesAtOnce_AllSucceed()
    {
        var shoppers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => LoginAsync()));
        try
        {
            var responses = await Task.WhenAll(shoppers.SelectMany(s => Enumerable.Range(0, 3).Select(i => s.Client.PostAsJsonAsync("/api/me/addresses", new
            {
                recipient = "王五", phone = "13812345678", province = "浙江省", city = "杭州市", district = "西湖区", detail = $"文三路 {i} 号", isDefault = true,
            }))));
            var failures = new List<string>();
            foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
                failures.Add($"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            Assert.That(failures, Is.Empty);
            foreach (var s in shoppers)
                Assert.That(await OrdersEnvironment.Api.ScalarAsync<int>(
                    "SELECT COUNT(*) FROM member_addresses WHERE member_id = @id AND is_default", new { id = s.MemberId }), Is.EqualTo(1));
        }
        finally
        {
            foreach (var s in shoppers) s.Dispose();
        }
    }
}
