using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Campaigns.CampaignPeople;

namespace WeChatMall.Api.Tests.Features.Campaigns;

/// <summary>
/// A member who only used the mini-program follows the Official Account: the follow fetches the follower's UnionID
/// (cgi-bin/user/info, through the outbox) and links the Official Account openid to that member, so the Official
/// Account channels reach them. Non-parallel: the test decides which delivery workers run.
/// </summary>
[NonParallelizable]
public sealed class FollowLinkTests
{
    static ApiFactory Api => CampaignsEnvironment.Api;
    static SandboxHost Sandbox => CampaignsEnvironment.Sandbox;

    [Test]
    public async Task MiniProgramOnlyMember_Follows_OpenIdLinkedByUnionId_TemplateCampaignReachesIt()
    {
        var unionId = "u_" + Guid.NewGuid().ToString("N");
        var person = await MiniProgramOnlyMemberAsync(unionId);
        var identitiesBefore = await OaIdentitiesAsync(person.MemberId);

        var follow = await Sandbox.Client.PostAsJsonAsync($"/sandbox/followers/{person.OaOpenId}/subscribe", new { unionId });
        Assert.That(follow.StatusCode, Is.EqualTo(HttpStatusCode.OK), await follow.Content.ReadAsStringAsync());
        var holder = await Eventually.MatchAsync(() => Api.ScalarAsync<long?>(
            "SELECT member_id FROM member_identities WHERE kind = 'oa_openid' AND value = @OaOpenId", person), m => m is not null, 15_000);
        var following = await Eventually.MatchAsync(() => Api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM member_stats WHERE member_id = @MemberId AND following = TRUE", person), n => n == 1, 15_000);

        var segment = await SegmentOfAsync(person);
        await using var worker = CampaignsEnvironment.StartWorker();
        var campaign = await StartCampaignAsync(segment, ["template"]);
        var status = await WaitForStatusAsync(campaign, "completed");

        Assert.Multiple(async () =>
        {
            Assert.That(identitiesBefore, Is.Zero, "a mini-program-only member");
            Assert.That(holder, Is.EqualTo(person.MemberId), "the follower's openid is now one of the member's identities");
            Assert.That(following, Is.EqualTo(1), "the member follows");
            Assert.That(await Api.ScalarAsync<string>("SELECT unionid FROM followers WHERE openid = @OaOpenId", person), Is.EqualTo(unionId));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM members WHERE id IN (SELECT member_id FROM member_identities WHERE value IN (@OaOpenId, @MpOpenId))",
                person), Is.EqualTo(1), "one member, no second one for the follower");
            Assert.That(status, Is.EqualTo("completed"));
            Assert.That(await DeliveredAsync(person.OaOpenId, "template"), Has.Length.EqualTo(1), "the template channel reaches the member");
        });
    }

    [Test]
    public async Task FollowerWithoutUnionId_Follows_NothingLinked()
    {
        var unionId = "u_" + Guid.NewGuid().ToString("N");
        var person = await MiniProgramOnlyMemberAsync(unionId);

        // "" : WeChat gives this follower no UnionID (the account is not bound to the open platform the mini-program is).
        var follow = await Sandbox.Client.PostAsJsonAsync($"/sandbox/followers/{person.OaOpenId}/subscribe", new { unionId = "" });
        Assert.That(follow.StatusCode, Is.EqualTo(HttpStatusCode.OK), await follow.Content.ReadAsStringAsync());
        var settled = await Eventually.MatchAsync(() => Api.ScalarAsync<string?>(
            "SELECT status FROM outbox_messages WHERE kind = 'members.follow_link' AND payload LIKE @p", new { p = $"%{person.OaOpenId}%" }),
            s => s is "sent" or "dead", 15_000);

        Assert.Multiple(async () =>
        {
            Assert.That(settled, Is.EqualTo("sent"), "user/info asked, nothing to link");
            Assert.That(await CallsToUserInfoAsync(person.OaOpenId), Is.GreaterThanOrEqualTo(1));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_identities WHERE value = @OaOpenId", person), Is.Zero,
                "no link, and no member made for the follower");
            Assert.That(await OaIdentitiesAsync(person.MemberId), Is.Zero);
            Assert.That(await Api.ScalarAsync<string?>("SELECT unionid FROM followers WHERE openid = @OaOpenId", person), Is.Null);
        });
    }

    // Logged in with the mini-program only (wx.login with a UnionID); the Official Account openid is the one it will follow with.
    static async Task<Person> MiniProgramOnlyMemberAsync(string unionId)
    {
        var mp = "o_mp_" + Guid.NewGuid().ToString("N")[..20];
        var oa = "o_oa_" + Guid.NewGuid().ToString("N")[..20];
        var minted = await ReadAsync(await Sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/codes", new { openId = mp, unionId }));
        using var anonymous = Api.CreateClient();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { code = minted.GetProperty("code").GetString() });
        var body = await ReadAsync(login);
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        return new Person(body.GetProperty("memberId").GetInt64(), oa, mp, client);
    }

    static Task<long> OaIdentitiesAsync(long memberId) => Api.ScalarAsync<long>(
        "SELECT COUNT(*) FROM member_identities WHERE member_id = @memberId AND kind = 'oa_openid'", new { memberId });

    static async Task<int> CallsToUserInfoAsync(string openId) =>
        (await Sandbox.Client.GetFromJsonAsync<System.Text.Json.JsonElement[]>("/sandbox/calls?route=/cgi-bin/user/info"))!
            .Count(c => c.GetProperty("query").GetString()!.Contains(openId, StringComparison.Ordinal));
}
