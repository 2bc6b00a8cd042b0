using System.Net;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.LoyaltyTestData;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;

namespace WeChatMall.Api.Tests.Features.Members;

public sealed class LoyaltyReferralTests
{
    static ApiFactory Api => MembersEnvironment.Api;

    static async Task<string> InviteCodeAsync(SignedIn member) =>
        (await ReadAsync(await member.Client.GetAsync("/api/me"))).GetProperty("inviteCode").GetString()!;

    static async Task<SignedIn> SignUpWithInviteAsync(string inviteCode)
    {
        var openId = NewOpenId();
        using var client = Api.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { code = await MintCodeAsync(openId), inviteCode });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var body = await ReadAsync(response);
        var token = body.GetProperty("token").GetString()!;
        return new SignedIn(body.GetProperty("memberId").GetInt64(), token, openId, Bearer(token));
    }

    static Task<long> RewardEntriesAsync(long referrerId) => Api.ScalarAsync<long>(
        "SELECT COUNT(*) FROM points_ledger WHERE member_id = @referrerId AND reason = 'Referral reward'", new { referrerId });

    [Test]
    public async Task NewMemberWithInviteCode_IsBound_AndReferrerRewardedOnce_WhenPaidTwiceAndConcurrently()
    {
        using var referrer = await LoginAsync();
        using var referee = await SignUpWithInviteAsync(await InviteCodeAsync(referrer));
        var orderNo = NewOrderNo();

        // The payment notification arrives several times at once, then once more later; then a second order.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PayAsync(referee.MemberId, 10_000, orderNo)));
        await PayAsync(referee.MemberId, 10_000, orderNo);
        await PayAsync(referee.MemberId, 30_000);

        using var admin = Api.CreateAdminClient();
        var referrerDetail = await ReadAsync(await admin.GetAsync($"/admin/members/{referrer.MemberId}"));
        var refereeDetail = await ReadAsync(await admin.GetAsync($"/admin/members/{referee.MemberId}"));
        var refereeMe = await ReadAsync(await referee.Client.GetAsync("/api/me"));
        Assert.Multiple(async () =>
        {
            Assert.That(await RewardEntriesAsync(referrer.MemberId), Is.EqualTo(1));
            Assert.That(await BalanceAsync(referrer.MemberId), Is.EqualTo(ReferralReward));
            Assert.That(await BalanceAsync(referee.MemberId), Is.EqualTo(100 + FirstOrderBonus + 300), "the order earned once");
            Assert.That(referrerDetail.GetProperty("referral").GetProperty("refereeCount").GetInt64(), Is.EqualTo(1));
            Assert.That(refereeDetail.GetProperty("referral").GetProperty("referrerId").GetInt64(), Is.EqualTo(referrer.MemberId));
            Assert.That(refereeMe.GetProperty("loyalty").GetProperty("hasReferrer").GetBoolean(), Is.True);
        });
    }

    [Test]
    public async Task SelfReferral_Cycle_SecondReferrer_UnknownCode_AfterFirstOrder_AreRefused()
    {
        using var a = await LoginAsync();
        using var b = await LoginAsync();
        using var c = await LoginAsync();
        using var d = await LoginAsync();

        var self = await BindReferrerAsync(a.Client, await InviteCodeAsync(a));
        var aByB = await BindReferrerAsync(a.Client, await InviteCodeAsync(b));   // b → a
        var bByC = await BindReferrerAsync(b.Client, await InviteCodeAsync(c));   // c → b → a
        var cycle = await BindReferrerAsync(c.Client, await InviteCodeAsync(a)); // would close a → c
        var second = await BindReferrerAsync(a.Client, await InviteCodeAsync(c));
        var unknown = await BindReferrerAsync(d.Client, "NOSUCHCODE");
        await PayAsync(d.MemberId, 1_000);
        var afterOrder = await BindReferrerAsync(d.Client, await InviteCodeAsync(a));
        var loginSelf = await SignUpWithInviteAsync("NOSUCHCODE");

        Assert.Multiple(async () =>
        {
            Assert.That(self.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That((await ReadAsync(self)).GetProperty("code").GetString(), Is.EqualTo("SELF_REFERRAL"));
            Assert.That(aByB.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(bByC.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(cycle.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That((await ReadAsync(cycle)).GetProperty("code").GetString(), Is.EqualTo("REFERRAL_CYCLE"));
            Assert.That((await ReadAsync(second)).GetProperty("code").GetString(), Is.EqualTo("REFERRER_ALREADY_SET"));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await ReadAsync(afterOrder)).GetProperty("code").GetString(), Is.EqualTo("ALREADY_ORDERED"));
            Assert.That(await Api.ScalarAsync<long?>("SELECT referrer_id FROM members WHERE id = @id", new { id = loginSelf.MemberId }), Is.Null);
            Assert.That(await Api.ScalarAsync<long?>("SELECT referrer_id FROM members WHERE id = @id", new { id = c.MemberId }), Is.Null);
        });
        loginSelf.Dispose();
    }

    [Test]
    public async Task Merge_OfReferrerAndReferee_LeavesNoSelfLink_AndMovesLotsAndReferees()
    {
        using var survivor = await LoginAsync();
        using var merged = await LoginAsync();
        using var other = await LoginAsync();
        Assert.That((await BindReferrerAsync(survivor.Client, await InviteCodeAsync(merged))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await BindReferrerAsync(other.Client, await InviteCodeAsync(merged))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AdjustAsync(survivor.MemberId, 70);
        await AdjustAsync(merged.MemberId, 30);

        using var admin = Api.CreateAdminClient();
        var response = await admin.PostAsJsonAsync($"/admin/members/{survivor.MemberId}/merge", new { mergedMemberId = merged.MemberId, reason = "same person" });

        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        Assert.Multiple(async () =>
        {
            Assert.That(await Api.ScalarAsync<long?>("SELECT referrer_id FROM members WHERE id = @id", new { id = survivor.MemberId }), Is.Null, "no self-link");
            Assert.That(await Api.ScalarAsync<long?>("SELECT referrer_id FROM members WHERE id = @id", new { id = other.MemberId }), Is.EqualTo(survivor.MemberId));
            Assert.That(await BalanceAsync(survivor.MemberId), Is.EqualTo(100));
            Assert.That(await LotsSumAsync(survivor.MemberId), Is.EqualTo(100));
            Assert.That(await LedgerSumAsync(survivor.MemberId), Is.EqualTo(100));
        });
    }

    [Test]
    public async Task LoyaltyRoutes_OnlyEverTouchTheCallersOwnData()
    {
        using var alice = await LoginAsync();
        using var bob = await LoginAsync();
        using var carol = await LoginAsync();

        // The body names no member: a member id slipped in is ignored and only the caller is bound.
        var bound = await alice.Client.PostAsJsonAsync("/api/me/referrer", new { inviteCode = await InviteCodeAsync(carol), memberId = bob.MemberId });
        var aliceMe = await ReadAsync(await alice.Client.GetAsync("/api/me"));
        var bobMe = await ReadAsync(await bob.Client.GetAsync("/api/me"));
        var bobOnAdmin = await bob.Client.GetAsync("/admin/tiers");
        var bobOnAdminDetail = await bob.Client.GetAsync($"/admin/members/{alice.MemberId}");

        Assert.Multiple(async () =>
        {
            Assert.That(bound.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await Api.ScalarAsync<long?>("SELECT referrer_id FROM members WHERE id = @id", new { id = bob.MemberId }), Is.Null);
            Assert.That(await Api.ScalarAsync<long?>("SELECT referrer_id FROM members WHERE id = @id", new { id = alice.MemberId }), Is.EqualTo(carol.MemberId));
            Assert.That(aliceMe.GetProperty("loyalty").GetProperty("hasReferrer").GetBoolean(), Is.True);
            Assert.That(bobMe.GetProperty("loyalty").GetProperty("hasReferrer").GetBoolean(), Is.False);
            Assert.That(bobMe.GetProperty("loyalty").GetProperty("inviteCode").GetString(), Is.EqualTo(await InviteCodeAsync(bob)));
            Assert.That(bobOnAdmin.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a member token is no admin key");
            Assert.That(bobOnAdminDetail.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }
}
