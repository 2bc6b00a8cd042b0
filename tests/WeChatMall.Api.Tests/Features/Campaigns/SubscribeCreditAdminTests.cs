using System.Net;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Campaigns.CampaignPeople;

namespace WeChatMall.Api.Tests.Features.Campaigns;

/// <summary>GET /admin/members/{id}/subscribe-credits: one member's balances, never another's.</summary>
[NonParallelizable]
public sealed class SubscribeCreditAdminTests
{
    static ApiFactory Api => CampaignsEnvironment.Api;

    [Test]
    public async Task MemberCredits_ShowOnlyThatMembersBalances_WithTheLastChange()
    {
        var credited = await NewMemberAsync(follow: false);
        var other = await NewMemberAsync(follow: false);
        var nobody = await NewMemberAsync(follow: false);
        await ReportAsync(credited, SubscribeTemplate, "sub_order_shipped_0001");
        await ReportAsync(credited, SubscribeTemplate);
        await ReportAsync(other, "sub_order_shipped_0001");
        using var admin = Api.CreateAdminClient();
        await admin.PostAsync("/admin/campaigns/templates/sync", null);

        var mine = await ReadAsync(await admin.GetAsync($"/admin/members/{credited.MemberId}/subscribe-credits"));
        var theirs = await ReadAsync(await admin.GetAsync($"/admin/members/{other.MemberId}/subscribe-credits"));
        var none = await admin.GetAsync($"/admin/members/{nobody.MemberId}/subscribe-credits");
        var balances = (System.Text.Json.JsonElement list) =>
            list.EnumerateArray().ToDictionary(c => c.GetProperty("templateId").GetString()!, c => c.GetProperty("credits").GetInt32());

        Assert.Multiple(async () =>
        {
            Assert.That(balances(mine), Is.EqualTo(new Dictionary<string, int> { [SubscribeTemplate] = 2, ["sub_order_shipped_0001"] = 1 }));
            Assert.That(balances(theirs), Is.EqualTo(new Dictionary<string, int> { ["sub_order_shipped_0001"] = 1 }), "another member's credits never show");
            var activity = mine.EnumerateArray().Single(c => c.GetProperty("templateId").GetString() == SubscribeTemplate);
            Assert.That(activity.GetProperty("lastReason").GetString(), Is.EqualTo("client_accept"));
            Assert.That(activity.GetProperty("updatedAt").GetDateTime(), Is.EqualTo(CampaignsEnvironment.Clock.GetUtcNow().UtcDateTime).Within(TimeSpan.FromMinutes(5)));
            Assert.That(activity.GetProperty("title").GetString(), Is.EqualTo("活动提醒"), "the synced template's title");
            Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await ReadAsync(none)).GetArrayLength(), Is.Zero);
        });
    }

    static async Task ReportAsync(Person p, params string[] templates)
    {
        var report = new { requestId = "prompt-" + Guid.NewGuid().ToString("N")[..12], results = templates.ToDictionary(t => t, _ => "accept") };
        var r = await p.Client.PostAsJsonAsync("/api/me/subscribe-results", report);
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), await r.Content.ReadAsStringAsync());
    }
}
