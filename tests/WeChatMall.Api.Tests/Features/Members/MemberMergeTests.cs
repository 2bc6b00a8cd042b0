using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;
using static WeChatMall.Api.Tests.Features.Members.OAuthTestData;
using static WeChatMall.Api.Tests.Features.Members.ProductCodeTestData;

namespace WeChatMall.Api.Tests.Features.Members;

public sealed class MemberMergeTests
{
    static ApiFactory Api => MembersEnvironment.Api;

    static async Task<HttpResponseMessage> MergeAsync(long survivorId, long mergedId, string reason = "same person")
    {
        using var admin = Api.CreateAdminClient();
        return await admin.PostAsJsonAsync($"/admin/members/{survivorId}/merge", new { mergedMemberId = mergedId, reason });
    }

    static async Task<long[]> LedgerIdsAsync(HttpClient member) =>
        (await ReadAsync(await member.GetAsync("/api/me/points?pageSize=50"))).GetProperty("items").EnumerateArray()
            .Select(e => e.GetProperty("id").GetInt64()).ToArray();

    static Task<long> BalanceAsync(long memberId) =>
        Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @memberId", new { memberId });

    static Task<long> LedgerSumAsync(long memberId) =>
        Api.ScalarAsync<long>("SELECT COALESCE(SUM(delta), 0) FROM points_ledger WHERE member_id = @memberId", new { memberId });

    [Test]
    public async Task Merge_TwoMembersWithPointsAndCodes_SurvivorHoldsEverythingAndAuditIsWritten()
    {
        using var survivor = await LoginAsync();
        using var merged = await LoginAsync(unionId: "u_" + Guid.NewGuid().ToString("N"));
        var batch = await CreateBatchAsync(points: 40, count: 2);
        Assert.That((await ClaimAsync(survivor.Client, batch.Codes[0])).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ClaimAsync(merged.Client, batch.Codes[1])).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AdjustAsync(survivor.MemberId, 100, "gift");
        await AdjustAsync(merged.MemberId, 250, "gift");
        await AdjustAsync(merged.MemberId, -30, "correction");
        var historyBefore = (await LedgerIdsAsync(survivor.Client)).Concat(await LedgerIdsAsync(merged.Client)).ToArray();
        var identitiesBefore = await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_identities WHERE member_id IN (@a, @b)",
            new { a = survivor.MemberId, b = merged.MemberId });
        var mergedIdentities = await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_identities WHERE member_id = @id", new { id = merged.MemberId });

        var response = await MergeAsync(survivor.MemberId, merged.MemberId);

        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        var audit = await ReadAsync(response);
        var me = await ReadAsync(await survivor.Client.GetAsync("/api/me"));
        Assert.Multiple(async () =>
        {
            Assert.That(me.GetProperty("pointsBalance").GetInt64(), Is.EqualTo(140 + 260));
            Assert.That(await LedgerSumAsync(survivor.MemberId), Is.EqualTo(400), "balance = sum of the survivor's ledger deltas");
            Assert.That(await LedgerIdsAsync(survivor.Client), Is.EquivalentTo(historyBefore), "both histories, nothing copied");
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_identities WHERE member_id = @id", new { id = merged.MemberId }), Is.Zero);
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_identities WHERE member_id = @id", new { id = survivor.MemberId }), Is.EqualTo(identitiesBefore),
                "every identity of both");
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM product_codes WHERE batch_id = @b AND claimed_by = @id",
                new { b = batch.Id, id = survivor.MemberId }), Is.EqualTo(2));
            Assert.That(await BalanceAsync(merged.MemberId), Is.Zero);
            Assert.That(await Api.ScalarAsync<long>("SELECT merged_into FROM members WHERE id = @id", new { id = merged.MemberId }), Is.EqualTo(survivor.MemberId));
            using var admin = Api.CreateAdminClient();
            Assert.That((await ReadAsync(await admin.GetAsync($"/admin/members/{merged.MemberId}"))).GetProperty("member").GetProperty("mergedInto").GetInt64(),
                Is.EqualTo(survivor.MemberId), "the admin sees where a merged member went");
            Assert.That((await ReadAsync(await admin.GetAsync($"/admin/members?q={merged.OpenId}"))).EnumerateArray().Select(m => m.GetProperty("id").GetInt64()),
                Is.EqualTo(new[] { survivor.MemberId }), "its openid now finds the survivor");
            Assert.That((await merged.Client.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the merged member's sessions are revoked");
            Assert.That((await survivor.Client.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

            Assert.That(audit.GetProperty("survivorId").GetInt64(), Is.EqualTo(survivor.MemberId));
            Assert.That(audit.GetProperty("mergedId").GetInt64(), Is.EqualTo(merged.MemberId));
            Assert.That(audit.GetProperty("mergedBy").GetString(), Is.EqualTo("bootstrap key"));
            Assert.That(audit.GetProperty("pointsMoved").GetInt64(), Is.EqualTo(260));
            Assert.That(audit.GetProperty("moved").GetProperty("points_ledger").GetInt32(), Is.EqualTo(3));
            Assert.That(audit.GetProperty("moved").GetProperty("member_identities").GetInt32(), Is.EqualTo(mergedIdentities));
            Assert.That(audit.GetProperty("moved").GetProperty("product_codes").GetInt32(), Is.EqualTo(1));
            var row = await Api.ScalarAsync<string>("SELECT CONCAT(survivor_id, ':', reason, ':', moved) FROM member_merges WHERE merged_id = @id", new { id = merged.MemberId });
            Assert.That(row, Does.StartWith($"{survivor.MemberId}:same person:"));
            Assert.That(JsonDocument.Parse(row[(row.IndexOf('{'))..]).RootElement.GetProperty("points").GetInt64(), Is.EqualTo(260));
        });
    }

    [Test]
    public async Task Merge_TwiceIntoItselfOrUnknown_Returns409Or404AndChangesNothing()
    {
        using var a = await LoginAsync();
        using var b = await LoginAsync();
        using var c = await LoginAsync();
        await AdjustAsync(b.MemberId, 10);
        Assert.That((await MergeAsync(a.MemberId, b.MemberId)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        Assert.Multiple(async () =>
        {
            Assert.That((await MergeAsync(a.MemberId, b.MemberId)).StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "merged twice");
            Assert.That((await MergeAsync(c.MemberId, b.MemberId)).StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a merged member cannot be merged again");
            Assert.That((await MergeAsync(b.MemberId, c.MemberId)).StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "nor survive a merge");
            Assert.That((await MergeAsync(a.MemberId, a.MemberId)).StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "into itself");
            Assert.That((await MergeAsync(a.MemberId, long.MaxValue)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await MergeAsync(long.MaxValue, a.MemberId)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await AdjustAsync(b.MemberId, 5)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a merged member takes no points");
            Assert.That(await BalanceAsync(a.MemberId), Is.EqualTo(10));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_merges WHERE survivor_id = @id OR merged_id = @id",
                new { id = a.MemberId }), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Merge_SamePairConcurrently_OneSucceedsAndPointsCountOnce()
    {
        using var a = await LoginAsync();
        using var b = await LoginAsync();
        await AdjustAsync(a.MemberId, 7);
        await AdjustAsync(b.MemberId, 50);

        // Both directions at once: each locks the lower id first, so they queue instead of deadlocking.
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            i % 2 == 0 ? MergeAsync(a.MemberId, b.MemberId) : MergeAsync(b.MemberId, a.MemberId)));

        var codes = responses.Select(r => r.StatusCode).ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(codes.Count(s => s == HttpStatusCode.OK), Is.EqualTo(1), string.Join(",", codes));
            Assert.That(codes.Count(s => s == HttpStatusCode.Conflict), Is.EqualTo(5));
            Assert.That(await BalanceAsync(a.MemberId) + await BalanceAsync(b.MemberId), Is.EqualTo(57));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM members WHERE id IN (@a, @b) AND merged_into IS NOT NULL",
                new { a = a.MemberId, b = b.MemberId }), Is.EqualTo(1));
            var survivor = await Api.ScalarAsync<long>("SELECT id FROM members WHERE id IN (@a, @b) AND merged_into IS NULL", new { a = a.MemberId, b = b.MemberId });
            Assert.That(await LedgerSumAsync(survivor), Is.EqualTo(57));
            Assert.That(await BalanceAsync(survivor), Is.EqualTo(57));
        });
    }

    [Test]
    public async Task Login_UnionIdHeldByOlderOAuthMember_MergesIntoOlderMemberAndSignsInAsIt()
    {
        var oaOpenId = NewOaOpenId();
        var unionId = "u" + oaOpenId;   // the sandbox's UnionID for that follower
        using var browser = NewBrowser();
        var (callback, _) = await SignInAsync(browser, oaOpenId, scope: "userinfo");
        var follower = Fragment(callback);
        var olderId = long.Parse(follower["memberId"]);
        await AdjustAsync(olderId, 30, "follower gift");
        using var shopper = await LoginAsync();                     // the mini-program did not send a UnionID yet
        await AdjustAsync(shopper.MemberId, 12, "shopper gift");
        Assert.That(shopper.MemberId, Is.GreaterThan(olderId));

        var response = await PostLoginAsync(await MintCodeAsync(shopper.OpenId, unionId));   // now it does

        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        var body = await ReadAsync(response);
        using var signedIn = Bearer(body.GetProperty("token").GetString()!);
        var me = await ReadAsync(await signedIn.GetAsync("/api/me"));
        Assert.Multiple(async () =>
        {
            Assert.That(body.GetProperty("memberId").GetInt64(), Is.EqualTo(olderId));
            Assert.That(me.GetProperty("pointsBalance").GetInt64(), Is.EqualTo(42));
            Assert.That(me.GetProperty("identities").EnumerateArray().Select(i => i.GetString()),
                Is.EquivalentTo(new[] { "oa_openid", "unionid", "mp_openid" }));
            Assert.That(await Api.ScalarAsync<long>("SELECT merged_into FROM members WHERE id = @id", new { id = shopper.MemberId }), Is.EqualTo(olderId));
            Assert.That(await Api.ScalarAsync<string>("SELECT merged_by FROM member_merges WHERE merged_id = @id", new { id = shopper.MemberId }),
                Is.EqualTo("auto:unionid"));
            Assert.That((await shopper.Client.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await Bearer(follower["token"]).GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the survivor's sessions live on");
        });
    }

    [Test]
    public async Task OAuth_UnionIdHeldByOlderMiniProgramMember_MergesAndSignsInAsIt()
    {
        var oaOpenId = NewOaOpenId();
        var unionId = "u" + oaOpenId;
        using var shopper = await LoginAsync(unionId: unionId);    // older: mini-program with the UnionID
        using var browser = NewBrowser();
        var (first, _) = await SignInAsync(browser, oaOpenId);      // snsapi_base: no UnionID, so a second member
        var followerId = long.Parse(Fragment(first)["memberId"]);
        Assert.That(followerId, Is.Not.EqualTo(shopper.MemberId));
        await AdjustAsync(followerId, 5);

        var (second, _) = await SignInAsync(browser, oaOpenId, scope: "userinfo");   // now WeChat tells the UnionID

        var fragment = Fragment(second);
        Assert.Multiple(async () =>
        {
            Assert.That(long.Parse(fragment["memberId"]), Is.EqualTo(shopper.MemberId));
            Assert.That(await BalanceAsync(shopper.MemberId), Is.EqualTo(5));
            Assert.That(await Api.ScalarAsync<long>("SELECT merged_into FROM members WHERE id = @id", new { id = followerId }), Is.EqualTo(shopper.MemberId));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_identities WHERE member_id = @id", new { id = shopper.MemberId }), Is.EqualTo(3));
        });
    }
}
