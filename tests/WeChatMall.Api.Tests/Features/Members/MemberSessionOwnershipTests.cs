using System.Net;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;
using static WeChatMall.Api.Tests.Features.Members.OAuthTestData;
using static WeChatMall.Api.Tests.Features.Members.PhoneTestData;
using static WeChatMall.Api.Tests.Features.Members.ProductCodeTestData;

namespace WeChatMall.Api.Tests.Features.Members;

/// <summary>
/// No flow hands out a session for a member other than the one holding the WeChat identity that made the request.
/// Each test is the flow's case where another member is involved (phone: MemberPhoneConflictTests).
/// </summary>
public sealed class MemberSessionOwnershipTests
{
    static ApiFactory Api => MembersEnvironment.Api;

    static Task<long> IdentityHolderAsync(string kind, string value) => Api.ScalarAsync<long>(
        "SELECT member_id FROM member_identities WHERE kind = @kind AND value = @value", new { kind, value });

    [Test]
    public async Task Login_UnionIdOnAnotherMember_SessionIsForTheMemberHoldingTheCallersOpenId()
    {
        var unionId = "u_" + Guid.NewGuid().ToString("N");
        using var older = await LoginAsync(unionId: unionId);
        using var shopper = await LoginAsync();                      // no UnionID yet: a member of its own

        var response = await PostLoginAsync(await MintCodeAsync(shopper.OpenId, unionId));

        var body = await ReadAsync(response);
        using var session = Bearer(body.GetProperty("token").GetString()!);
        var sessionMember = await SessionMemberAsync(session);
        Assert.Multiple(async () =>
        {
            Assert.That(sessionMember, Is.EqualTo(body.GetProperty("memberId").GetInt64()));
            Assert.That(sessionMember, Is.EqualTo(await IdentityHolderAsync("mp_openid", shopper.OpenId)),
                "the member the request's own openid belongs to (after the merge of the same person)");
            Assert.That(sessionMember, Is.EqualTo(await IdentityHolderAsync("unionid", unionId)));
        });
    }

    [Test]
    public async Task OAuth_UnionIdOnAnotherMember_SessionIsForTheMemberHoldingTheCallersOpenId()
    {
        var oaOpenId = NewOaOpenId();
        using var shopper = await LoginAsync(unionId: "u" + oaOpenId);   // the sandbox's UnionID for that follower
        using var browser = NewBrowser();
        await SignInAsync(browser, oaOpenId);                            // snsapi_base: a second member

        var (callback, _) = await SignInAsync(browser, oaOpenId, scope: "userinfo");

        var fragment = Fragment(callback);
        using var session = Bearer(fragment["token"]);
        var sessionMember = await SessionMemberAsync(session);
        Assert.Multiple(async () =>
        {
            Assert.That(sessionMember, Is.EqualTo(long.Parse(fragment["memberId"])));
            Assert.That(sessionMember, Is.EqualTo(await IdentityHolderAsync("oa_openid", oaOpenId)));
        });
    }

    [Test]
    public async Task Login_WithAnotherMembersInviteCode_SessionIsTheNewMembersOwn()
    {
        using var referrer = await LoginAsync();
        var inviteCode = (await ReadAsync(await referrer.Client.GetAsync("/api/me"))).GetProperty("inviteCode").GetString();
        var openId = NewOpenId();
        using var client = Api.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/login", new { code = await MintCodeAsync(openId), inviteCode });

        var body = await ReadAsync(response);
        using var session = Bearer(body.GetProperty("token").GetString()!);
        Assert.Multiple(async () =>
        {
            Assert.That(body.GetProperty("memberId").GetInt64(), Is.Not.EqualTo(referrer.MemberId));
            Assert.That(await SessionMemberAsync(session), Is.EqualTo(await IdentityHolderAsync("mp_openid", openId)));
        });
    }

    [Test]
    public async Task ReferrerAndCodeClaim_InvolvingAnotherMember_AnswerWithoutAnySession()
    {
        using var other = await LoginAsync();
        using var shopper = await LoginAsync();
        var inviteCode = (await ReadAsync(await other.Client.GetAsync("/api/me"))).GetProperty("inviteCode").GetString();
        var batch = await CreateBatchAsync(points: 10, count: 1);
        Assert.That((await ClaimAsync(other.Client, batch.Codes[0])).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var referral = await shopper.Client.PostAsJsonAsync("/api/me/referrer", new { inviteCode });
        var claim = await ClaimAsync(shopper.Client, batch.Codes[0]);

        Assert.Multiple(async () =>
        {
            Assert.That(referral.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(claim.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            foreach (var r in new[] { referral, claim })
                Assert.That(await r.Content.ReadAsStringAsync(), Does.Not.Contain("token").And.Not.Contain("expiresAt"));
            Assert.That(await SessionMemberAsync(shopper.Client), Is.EqualTo(shopper.MemberId));
        });
    }
}
