using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using WeChatMall.Api.Features.Offers;
using WeChatMall.Api.Infrastructure.Activity;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Offers.OfferTestData;

namespace WeChatMall.Api.Tests.Features.Offers;

/// <summary>Granting a coupon to a segment is a job with a report; each member of the frozen segment is issued once (issue #19).</summary>
public sealed class CouponSegmentGrantTests
{
    static ApiFactory Api => TestEnvironment.Api;

    /// <summary>A segment "has this new manual tag", with these members tagged (their stats rows made, as a login would).</summary>
    static async Task<(long SegmentId, long TagId)> TaggedSegmentAsync(IReadOnlyList<long> memberIds)
    {
        using var admin = Api.CreateAdminClient();
        var tag = await ReadAsync(await admin.PostAsJsonAsync("/admin/tags", new { name = "grant " + Guid.NewGuid().ToString("N")[..8] }));
        var tagId = tag.GetProperty("id").GetInt64();
        await TagAsync(memberIds, tagId);
        var segment = await admin.PostAsJsonAsync("/admin/segments",
            new { name = "grant segment", rule = new { field = "tag", op = "in", value = new[] { tagId } } });
        Assert.That(segment.StatusCode, Is.EqualTo(HttpStatusCode.Created), await segment.Content.ReadAsStringAsync());
        return ((await ReadAsync(segment)).GetProperty("id").GetInt64(), tagId);
    }

    static async Task TagAsync(IReadOnlyList<long> memberIds, long tagId)
    {
        using var admin = Api.CreateAdminClient();
        await using (var c = await Api.Services.GetRequiredService<MySqlDataSource>().OpenConnectionAsync())
        await using (var tx = await c.BeginTransactionAsync())
        {
            await Api.Services.GetRequiredService<IMemberActivity>().MembersChangedAsync(c, tx, memberIds, CancellationToken.None);
            await tx.CommitAsync();
        }
        foreach (var id in memberIds)
            Assert.That((await admin.PostAsJsonAsync($"/admin/members/{id}/tags", new { tagId })).IsSuccessStatusCode, Is.True);
    }

    [Test]
    public async Task SegmentGrant_IssuesEachFrozenMemberOnce_ReportsRefusals_AndTwoWorkersChangeNothing()
    {
        var members = new List<OfferMember>();
        for (var i = 0; i < 5; i++) members.Add(await NewMemberAsync(Api));
        using var outsider = await NewMemberAsync(Api);
        var (segmentId, _) = await TaggedSegmentAsync(members.Select(m => m.MemberId).ToList());
        var templateId = await NewTemplateAsync(Api, Template(totalStock: 3, perMemberLimit: 1));
        using var admin = Api.CreateAdminClient();

        var started = await admin.PostAsJsonAsync($"/admin/offers/coupon-templates/{templateId}/segment-grants", new { segmentId });
        Assert.That(started.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await started.Content.ReadAsStringAsync());
        var location = started.Headers.Location!.ToString();
        // Two workers at once (as two instances would, besides the host's own job): the recipient row lock decides.
        var job = Api.Services.GetRequiredService<CouponSegmentGrantJob>();
        var passes = await Task.WhenAll(job.RunOnceAsync(CancellationToken.None), job.RunOnceAsync(CancellationToken.None));
        await job.RunOnceAsync(CancellationToken.None);
        var report = await ReadAsync(await admin.GetAsync(location));
        var held = await Api.QueryAsync<(long MemberId, long Count)>(
            "SELECT member_id, COUNT(*) FROM member_coupons WHERE template_id = @templateId GROUP BY member_id", new { templateId });

        Assert.Multiple(() =>
        {
            Assert.That(report.GetProperty("status").GetString(), Is.EqualTo("done"));
            Assert.That(report.GetProperty("frozen").GetInt32(), Is.EqualTo(5));
            Assert.That(report.GetProperty("issued").GetInt32(), Is.EqualTo(3), "the stock of 3");
            Assert.That(report.GetProperty("refused").GetInt32(), Is.EqualTo(2));
            Assert.That(report.GetProperty("pending").GetInt32(), Is.EqualTo(0));
            Assert.That(report.GetProperty("refusedBy")[0].GetProperty("code").GetString(), Is.EqualTo("COUPON_SOLD_OUT"));
            Assert.That(held.Count(), Is.EqualTo(3));
            Assert.That(held.All(h => h.Count == 1), Is.True, "nobody twice");
            Assert.That(held.Select(h => h.MemberId), Is.SubsetOf(members.Select(m => m.MemberId)), "only the segment's members");
            Assert.That(held.Select(h => h.MemberId), Does.Not.Contain(outsider.MemberId));
            Assert.That(passes.Sum(), Is.LessThanOrEqualTo(3));
        });
        foreach (var m in members) m.Dispose();
    }

    [Test]
    public async Task SegmentGrant_MemberWhoJoinsAfterTheFreeze_IsNotGranted_AndARecipientIsNeverIssuedAgain()
    {
        using var first = await NewMemberAsync(Api);
        using var late = await NewMemberAsync(Api);
        var (segmentId, tagId) = await TaggedSegmentAsync([first.MemberId]);
        var templateId = await NewTemplateAsync(Api, Template(perMemberLimit: 5));
        using var admin = Api.CreateAdminClient();
        var started = await ReadAsync(await admin.PostAsJsonAsync($"/admin/offers/coupon-templates/{templateId}/segment-grants", new { segmentId }));
        var job = Api.Services.GetRequiredService<CouponSegmentGrantJob>();
        await job.RunOnceAsync(CancellationToken.None);
        await TagAsync([late.MemberId], tagId);   // joins the segment after the freeze
        // A crash after the issue but before the run was marked done, or a repeated pass: the run is worked again.
        await Api.ScalarAsync<long>("UPDATE coupon_grant_runs SET status = 'issuing' WHERE id = @id; SELECT ROW_COUNT();",
            new { id = started.GetProperty("id").GetInt64() });
        await job.RunOnceAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_coupons WHERE template_id = @templateId AND member_id = @m",
                new { templateId, m = first.MemberId }), Is.EqualTo(1), "with a per-member limit of 5, only the recipient row keeps it at one");
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_coupons WHERE template_id = @templateId AND member_id = @m",
                new { templateId, m = late.MemberId }), Is.EqualTo(0), "the segment was frozen when the grant started");
        });
    }

    [Test]
    public async Task SegmentGrant_BadInput_IsAClear4xx()
    {
        var templateId = await NewTemplateAsync(Api, Template());
        using var admin = Api.CreateAdminClient();
        var noSegment = await admin.PostAsJsonAsync($"/admin/offers/coupon-templates/{templateId}/segment-grants", new { segmentId = long.MaxValue });
        var noTemplate = await admin.PostAsJsonAsync("/admin/offers/coupon-templates/999999999/segment-grants", new { segmentId = 1 });
        var zero = await admin.PostAsJsonAsync($"/admin/offers/coupon-templates/{templateId}/segment-grants", new { segmentId = 0 });
        var noRun = await admin.GetAsync("/admin/offers/segment-grants/999999999");

        Assert.Multiple(async () =>
        {
            Assert.That(noSegment.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await ReadAsync(noSegment)).GetProperty("code").GetString(), Is.EqualTo("SEGMENT_NOT_FOUND"));
            Assert.That((await ReadAsync(noTemplate)).GetProperty("code").GetString(), Is.EqualTo("COUPON_TEMPLATE_NOT_FOUND"));
            Assert.That(zero.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await ReadAsync(noRun)).GetProperty("code").GetString(), Is.EqualTo("SEGMENT_GRANT_NOT_FOUND"));
        });
    }
}
