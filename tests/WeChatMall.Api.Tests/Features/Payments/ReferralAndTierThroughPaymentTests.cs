using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.Features.Catalog;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Payments.PayTestData;

namespace WeChatMall.Api.Tests.Features.Payments;

/// <summary>
/// Loyalty effects of a payment, through the real endpoints and WeChat Pay notifications (issue #7's acceptance): the
/// referrer is rewarded once however often the notification comes, and the tier reached by the paid order gives its
/// discount at the next checkout.
/// </summary>
public sealed class ReferralAndTierThroughPaymentTests
{
    static ApiFactory Api => PaymentsEnvironment.Api;
    static SandboxHost Sandbox => PaymentsEnvironment.Sandbox;

    [Test]
    public async Task ReferredShopperPays_NotificationFiveTimesConcurrently_ReferrerRewardedOnce_TierReached_NextOrderDiscounted()
    {
        using var admin = Api.CreateAdminClient();
        var tierCode = "gold" + Guid.NewGuid().ToString("N")[..8];
        var tier = await admin.PostAsJsonAsync("/admin/tiers", new
        {
            code = tierCode, name = "Gold", rank = Random.Shared.Next(500, 1000), minSpendFen = 100_000, discountBasisPoints = 1_000,
            pointsMultiplierPercent = 100,
        });
        Assert.That((int)tier.StatusCode, Is.EqualTo(201), await tier.Content.ReadAsStringAsync());

        using var referrer = await LoginAsync();
        var inviteCode = (await ReadAsync(await referrer.Client.GetAsync("/api/me"))).GetProperty("inviteCode").GetString()!;
        using var referee = await LoginWithInviteAsync(inviteCode);

        var category = await CatalogTestData.NewCategoryAsync(admin);
        var product = await CatalogTestData.NewProductAsync(admin,
            CatalogTestData.Product(category, null, true, [CatalogTestData.Sku("tier", "L", 60_000, 10)]));
        var skuId = product.GetProperty("skus")[0].GetProperty("id").GetInt64();
        var address = await ReadAsync(await referee.Client.PostAsJsonAsync("/api/me/addresses", new
        {
            recipient = "李四", phone = "13912345678", province = "浙江省", city = "杭州市", district = "西湖区", detail = "龙井路 1 号",
        }));
        var addressId = address.GetProperty("id").GetInt64();

        // First order: 2 × 600.00 = 1,200.00 yuan, list price (no tier yet), reaches Gold when paid.
        var first = await PlaceAsync(referee, skuId, 2, addressId);
        Assert.That((await PayAsync(referee, first.OrderNo)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var notificationId = await SandboxPaysAsync(first.OrderNo);
        await WaitForStatusAsync(first.OrderNo, "paid");
        var redelivered = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            Sandbox.Client.PostAsync($"/sandbox/pay/notifications/{notificationId}/redeliver", null)));
        await Task.Delay(300);

        // Second order: Gold's 10 % off at checkout, and a second paid order pays the referrer nothing more.
        var second = await PlaceAsync(referee, skuId, 1, addressId);
        Assert.That((await PayAsync(referee, second.OrderNo)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await SandboxPaysAsync(second.OrderNo);
        await WaitForStatusAsync(second.OrderNo, "paid");
        var me = await ReadAsync(await referee.Client.GetAsync("/api/me"));

        Assert.Multiple(async () =>
        {
            Assert.That(redelivered.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(first.DiscountFen, Is.EqualTo(0));
            Assert.That(first.PayableFen, Is.EqualTo(120_000));
            Assert.That(second.DiscountFen, Is.EqualTo(6_000), "Gold's 10 % on 600.00 yuan");
            Assert.That(second.PayableFen, Is.EqualTo(54_000));
            Assert.That(second.TierCode, Is.EqualTo(tierCode));
            Assert.That(await Api.QueryAsync<long>(
                "SELECT delta FROM points_ledger WHERE member_id = @MemberId ORDER BY id", referrer), Is.EqualTo(new[] { PaymentsEnvironment.ReferralRewardPoints }),
                "one reward for the referee's first paid order, none for the duplicates or the second order");
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", referrer),
                Is.EqualTo(PaymentsEnvironment.ReferralRewardPoints));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM points_ledger WHERE reference = @orderNo AND member_id = @memberId",
                new { orderNo = first.OrderNo, memberId = referee.MemberId }), Is.EqualTo(1), "the referee earned on the first order once");
            Assert.That(me.ToString(), Does.Contain(tierCode), "/api/me shows the tier reached");
        });
    }

    sealed record Placed(string OrderNo, long DiscountFen, long PayableFen, string? TierCode);

    static async Task<Placed> PlaceAsync(Shopper shopper, long skuId, int quantity, long addressId)
    {
        var response = await shopper.Client.PostAsJsonAsync("/api/orders", new { lines = new[] { new { skuId, quantity } }, addressId });
        var body = await ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToString());
        return new Placed(body.GetProperty("orderNo").GetString()!, body.GetProperty("discountFen").GetInt64(),
            body.GetProperty("payableFen").GetInt64(), body.GetProperty("tierCode").GetString());
    }

    static async Task<Shopper> LoginWithInviteAsync(string inviteCode)
    {
        var openId = "o_mp_" + Guid.NewGuid().ToString("N")[..20];
        var minted = await Sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/codes", new { openId });
        var code = (await ReadAsync(minted)).GetProperty("code").GetString();
        using var anonymous = Api.CreateClient();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { code, inviteCode });
        var body = await ReadAsync(login);
        Assert.That((int)login.StatusCode, Is.EqualTo(200), body.ToString());
        Assert.That(body.TryGetProperty("referralRefused", out var refused) && refused.ValueKind != JsonValueKind.Null, Is.False, body.ToString());
        var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        return new Shopper(body.GetProperty("memberId").GetInt64(), openId, client);
    }
}
