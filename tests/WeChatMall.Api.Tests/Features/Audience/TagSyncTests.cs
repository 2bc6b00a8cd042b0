using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.Features.Members;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Audience.AudienceShop;

namespace WeChatMall.Api.Tests.Features.Audience;

/// <summary>A tag mirrored onto a WeChat user tag through the sandbox, within WeChat's limits (50 openids a call, 20 tags a user).</summary>
public sealed class TagSyncTests
{
    static ApiFactory Api => AudienceEnvironment.Api;
    static SandboxHost Sandbox => AudienceEnvironment.Sandbox;

    /// <summary>A follower who signed in through web OAuth: a member whose Official Account openid follows.</summary>
    static async Task<(long MemberId, string OpenId)> NewFollowerAsync()
    {
        var oa = OAuthTestData.NewOaOpenId();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = Api.BaseAddress };
        var (callback, _) = await OAuthTestData.SignInAsync(browser, oa);
        await FollowAsync(oa, null);
        return (long.Parse(OAuthTestData.Fragment(callback)["memberId"], CultureInfo.InvariantCulture), oa);
    }

    static async Task<long> NewTagAsync(HttpClient admin, IEnumerable<long> members)
    {
        var tag = await ReadAsync(await admin.PostAsJsonAsync("/admin/tags", new { name = "t-" + Guid.NewGuid().ToString("N")[..10] }));
        var id = tag.GetProperty("id").GetInt64();
        foreach (var m in members)
            Assert.That((await admin.PostAsJsonAsync($"/admin/members/{m}/tags", new { tagId = id })).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        return id;
    }

    static async Task<JsonElement> SyncAsync(HttpClient admin, long tagId)
    {
        var response = await admin.PostAsync($"/admin/tags/{tagId}/wechat-sync", null);
        var body = await ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        return body;
    }

    [Test]
    public async Task Sync_51Followers_TwoBatchCalls_ThenA21stTagOnOneUser_IsRefusedForThatUser()
    {
        var followers = new List<(long MemberId, string OpenId)>();
        for (var i = 0; i < 51; i++) followers.Add(await NewFollowerAsync());
        await Api.DrainCallbackEventsAsync();
        using var admin = Api.CreateAdminClient();
        var tagId = await NewTagAsync(admin, followers.Select(f => f.MemberId));
        var mine = followers.Select(f => f.OpenId).ToHashSet();

        var first = await SyncAsync(admin, tagId);
        var weChatTag = first.GetProperty("weChatTagId").GetInt64();
        var batches = (await Sandbox.Client.GetFromJsonAsync<JsonElement[]>("/sandbox/calls?route=/cgi-bin/tags/members/batchtagging"))!
            .Select(c => JsonDocument.Parse(c.GetProperty("body").GetString()!).RootElement)
            .Where(b => b.GetProperty("tagid").GetInt64() == weChatTag)
            .Select(b => b.GetProperty("openid_list").EnumerateArray().Select(o => o.GetString()!).ToList()).ToList();
        var again = await SyncAsync(admin, tagId);

        // One follower gets 19 more synced tags (20 in all), then a 21st.
        var (heavy, heavyOpenId) = followers[0];
        for (var i = 0; i < 19; i++) await SyncAsync(admin, await NewTagAsync(admin, [heavy]));
        var (other, _) = await NewFollowerAsync();
        await Api.DrainCallbackEventsAsync();
        var twentyFirst = await SyncAsync(admin, await NewTagAsync(admin, [heavy, other]));
        var onWeChat = (await Sandbox.Client.GetFromJsonAsync<JsonElement[]>("/sandbox/followers"))!
            .Single(f => f.GetProperty("openId").GetString() == heavyOpenId).GetProperty("tagIds").GetArrayLength();

        Assert.Multiple(() =>
        {
            Assert.That((first.GetProperty("tagged").GetInt32(), first.GetProperty("calls").GetInt32()), Is.EqualTo((51, 3)), "tags/create and two batchtagging calls");
            Assert.That(batches.Select(b => b.Count), Is.EqualTo(new[] { 50, 1 }));
            Assert.That(batches.SelectMany(b => b).ToHashSet(), Is.EquivalentTo(mine));
            Assert.That((again.GetProperty("tagged").GetInt32(), again.GetProperty("alreadyTagged").GetInt32(), again.GetProperty("calls").GetInt32()),
                Is.EqualTo((0, 51, 0)), "a second sync sends nothing");
            Assert.That(twentyFirst.GetProperty("tagged").GetInt32(), Is.EqualTo(1), "the other member is tagged");
            Assert.That(twentyFirst.GetProperty("skipped").EnumerateArray().Select(s => (s.GetProperty("memberId").GetInt64(), s.GetProperty("reason").GetString())),
                Is.EqualTo(new[] { (heavy, "USER_TAG_LIMIT") }));
            Assert.That(onWeChat, Is.EqualTo(20), "WeChat holds 20 tags on that user, not 21");
        });
    }
}
