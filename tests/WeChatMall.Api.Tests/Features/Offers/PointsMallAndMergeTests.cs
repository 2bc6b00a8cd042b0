using System.Net;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Offers.OfferTestData;

namespace WeChatMall.Api.Tests.Features.Offers;

/// <summary>Points for a coupon through the ledger with a per-member limit; a member merge moves coupons and sign-ins.</summary>
public sealed class PointsMallAndMergeTests
{
    static ApiFactory Api => TestEnvironment.Api;

    static async Task GivePointsAsync(long memberId, long points)
    {
        using var admin = Api.CreateAdminClient();
        var r = await admin.PostAsJsonAsync($"/admin/members/{memberId}/points", new { delta = points, reason = "test" });
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), await r.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Exchange_PointsForACoupon_DebitsTheLedger_TheLimitAndTheBalanceHold()
    {
        var templateId = await NewTemplateAsync(Api, Template(perMemberLimit: 5));
        using var admin = Api.CreateAdminClient();
        var item = await ReadAsync(await admin.PostAsJsonAsync("/admin/offers/mall-items",
            new { title = "5 yuan off", kind = "coupon", couponTemplateId = templateId, pointsPrice = 300, perMemberLimit = 2, active = true }));
        var itemId = item.GetProperty("id").GetInt64();
        using var m = await NewMemberAsync(Api);
        await GivePointsAsync(m.MemberId, 1_000);

        var first = await m.Client.PostAsJsonAsync($"/api/mall/items/{itemId}/exchange", new { });
        var second = await m.Client.PostAsJsonAsync($"/api/mall/items/{itemId}/exchange", new { });
        var third = await m.Client.PostAsJsonAsync($"/api/mall/items/{itemId}/exchange", new { });

        Assert.Multiple(async () =>
        {
            Assert.That(new[] { first.StatusCode, second.StatusCode }, Is.All.EqualTo(HttpStatusCode.Created));
            Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await ReadAsync(third)).GetProperty("code").GetString(), Is.EqualTo("MALL_LIMIT_REACHED"));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @MemberId", m), Is.EqualTo(400));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_coupons WHERE member_id = @MemberId AND source = 'points_mall'", m), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task MemberMerge_MovesCouponsAndSignIns_AndTheCouponsStillCountAgainstTheLimit()
    {
        var templateId = await NewTemplateAsync(Api, Template(perMemberLimit: 1));
        using var survivor = await NewMemberAsync(Api);
        using var merged = await NewMemberAsync(Api);
        var coupon = await ClaimAsync(merged, templateId);
        await merged.Client.PostAsync("/api/sign-in", null);
        using var admin = Api.CreateAdminClient();
        var merge = await admin.PostAsJsonAsync($"/admin/members/{survivor.MemberId}/merge", new { mergedMemberId = merged.MemberId, reason = "same person" });
        var claim = await survivor.Client.PostAsync($"/api/coupons/{templateId}/claim", null);

        Assert.Multiple(async () =>
        {
            Assert.That(merge.StatusCode, Is.EqualTo(HttpStatusCode.OK), await merge.Content.ReadAsStringAsync());
            Assert.That(await Api.ScalarAsync<long>("SELECT member_id FROM member_coupons WHERE id = @coupon", new { coupon }), Is.EqualTo(survivor.MemberId));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM sign_ins WHERE member_id = @MemberId", survivor), Is.EqualTo(1));
            Assert.That(claim.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "the moved coupon counts against the limit of 1");
        });
    }
}
