using System.Net;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Audience.AudienceShop;

namespace WeChatMall.Api.Tests.Features.Audience;

/// <summary>A merge moves the merged member's orders, tags and stats to the survivor in the merge's transaction.</summary>
[NonParallelizable, Order(2)] // after AudiencePopulationTests: its buyers must not move that population's RFM averages
public sealed class MemberMergeStatsTests
{
    static ApiFactory Api => AudienceEnvironment.Api;

    [Test]
    public async Task Merge_SurvivorGetsBothMembersOrdersAndTags_MergedLosesItsStatsRow()
    {
        using var admin = Api.CreateAdminClient();
        var survivor = await NewMemberAsync(officialAccount: false);
        var merged = await NewMemberAsync(officialAccount: false);
        var product = await NewProductAsync(12_300);
        await BuyAsync(survivor, product.SkuId);
        await BuyAsync(merged, product.SkuId);
        var tag = (await ReadAsync(await admin.PostAsJsonAsync("/admin/tags", new { name = "m-" + Guid.NewGuid().ToString("N")[..10] }))).GetProperty("id").GetInt64();
        await admin.PostAsJsonAsync($"/admin/members/{merged.MemberId}/tags", new { tagId = tag });

        var merge = await admin.PostAsJsonAsync($"/admin/members/{survivor.MemberId}/merge", new { mergedMemberId = merged.MemberId, reason = "same person" });
        var stats = await ReadAsync(await admin.GetAsync($"/admin/audience/members/{survivor.MemberId}/stats"));
        var gone = await admin.GetAsync($"/admin/audience/members/{merged.MemberId}/stats");
        var tags = await Api.QueryAsync<long>("SELECT member_id FROM member_tags WHERE tag_id = @tag", new { tag });

        Assert.Multiple(async () =>
        {
            Assert.That(merge.StatusCode, Is.EqualTo(HttpStatusCode.OK), await merge.Content.ReadAsStringAsync());
            Assert.That((stats.GetProperty("paidOrders").GetInt32(), stats.GetProperty("netSpendFen").GetInt64()), Is.EqualTo((2, 24_600L)));
            Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(tags, Is.EqualTo(new[] { survivor.MemberId }));
        });
    }
}
