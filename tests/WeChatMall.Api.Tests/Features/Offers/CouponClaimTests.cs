using System.Collections.Concurrent;
using System.Net;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Offers.OfferTestData;

namespace WeChatMall.Api.Tests.Features.Offers;

/// <summary>Issuing holds the template's stock and the per-member limit under any concurrency (issue #19).</summary>
public sealed class CouponClaimTests
{
    static ApiFactory Api => TestEnvironment.Api;

    [Test]
    public async Task ThousandConcurrentClaims_Stock100_Limit2_By300Members_Issue100_NoMemberAbove2()
    {
        var templateId = await NewTemplateAsync(Api, Template(totalStock: 100, perMemberLimit: 2));
        var members = new List<OfferMember>();
        for (var i = 0; i < 300; i++) members.Add(await NewMemberAsync(Api));
        // 1,000 claims: each member 3 or 4 times, shuffled, 16 in flight at once (the machine is shared; the row lock is what is tested).
        var claims = Enumerable.Range(0, 1000).Select(i => members[i % members.Count]).OrderBy(_ => Random.Shared.Next()).ToList();
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var codes = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(claims, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (m, ct) =>
        {
            var response = await m.Client.PostAsync($"/api/coupons/{templateId}/claim", null, ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode != HttpStatusCode.Created) codes.Add((await ReadAsync(response)).GetProperty("code").GetString()!);
        });
        var perMember = await Api.QueryAsync<(long MemberId, long Count)>(
            "SELECT member_id, COUNT(*) FROM member_coupons WHERE template_id = @templateId GROUP BY member_id", new { templateId });

        Assert.Multiple(async () =>
        {
            Assert.That(statuses.Count(s => s == HttpStatusCode.Created), Is.EqualTo(100), "exactly the stock was issued");
            Assert.That(statuses.Where(s => s != HttpStatusCode.Created), Is.All.EqualTo(HttpStatusCode.Conflict), "every other claim is a 409, none a 5xx");
            Assert.That(codes.Distinct(), Is.SubsetOf(new[] { "COUPON_SOLD_OUT", "COUPON_LIMIT_REACHED" }));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_coupons WHERE template_id = @templateId", new { templateId }), Is.EqualTo(100));
            Assert.That(await Api.ScalarAsync<int>("SELECT issued FROM coupon_templates WHERE id = @templateId", new { templateId }), Is.EqualTo(100));
            Assert.That(perMember.Max(p => p.Count), Is.LessThanOrEqualTo(2), "no member above the limit of 2");
        });
        foreach (var m in members) m.Dispose();
    }

    [Test]
    public async Task Claim_OverTheLimitOrSoldOut_Is409_WithItsCode_AndTheWalletShowsTheCoupon()
    {
        var templateId = await NewTemplateAsync(Api, Template(totalStock: 2, perMemberLimit: 1));
        using var a = await NewMemberAsync(Api);
        using var b = await NewMemberAsync(Api);
        using var c = await NewMemberAsync(Api);
        var first = await ClaimAsync(a, templateId);
        var again = await a.Client.PostAsync($"/api/coupons/{templateId}/claim", null);
        await ClaimAsync(b, templateId);
        var soldOut = await c.Client.PostAsync($"/api/coupons/{templateId}/claim", null);
        var wallet = await ReadAsync(await a.Client.GetAsync("/api/me/coupons"));

        Assert.Multiple(async () =>
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await ReadAsync(again)).GetProperty("code").GetString(), Is.EqualTo("COUPON_LIMIT_REACHED"));
            Assert.That(soldOut.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await ReadAsync(soldOut)).GetProperty("code").GetString(), Is.EqualTo("COUPON_SOLD_OUT"));
            Assert.That(wallet.EnumerateArray().Select(x => x.GetProperty("id").GetInt64()), Is.EqualTo(new[] { first }));
            Assert.That(wallet[0].GetProperty("status").GetString(), Is.EqualTo("available"));
        });
    }
}
