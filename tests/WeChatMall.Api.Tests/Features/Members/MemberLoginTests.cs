using System.Net;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;

namespace WeChatMall.Api.Tests.Features.Members;

public sealed class MemberLoginTests
{
    static ApiFactory Api => MembersEnvironment.Api;

    [Test]
    public async Task Login_NewOpenId_CreatesOneMemberWithOpenIdAndUnionId()
    {
        var openId = NewOpenId();
        var unionId = "u_" + openId;

        var response = await PostLoginAsync(await MintCodeAsync(openId, unionId));
        var body = await ReadAsync(response);

        var memberId = body.GetProperty("memberId").GetInt64();
        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("isNewMember").GetBoolean(), Is.True);
            Assert.That(body.GetProperty("token").GetString(), Does.Match("^[A-Za-z0-9_-]{43}$"), "32 random bytes, base64url");
            Assert.That(body.TryGetProperty("sessionKey", out _) || body.TryGetProperty("session_key", out _), Is.False);
            Assert.That(await Api.ScalarAsync<long>("SELECT member_id FROM member_identities WHERE kind = 'mp_openid' AND value = @openId", new { openId }),
                Is.EqualTo(memberId));
            Assert.That(await Api.ScalarAsync<long>("SELECT member_id FROM member_identities WHERE kind = 'unionid' AND value = @unionId", new { unionId }),
                Is.EqualTo(memberId));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_identities WHERE member_id = @memberId", new { memberId }), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Login_AgainWithNewCode_ReturnsSameMemberAndNewToken()
    {
        using var first = await LoginAsync();

        var again = await PostLoginAsync(await MintCodeAsync(first.OpenId));
        var body = await ReadAsync(again);

        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("memberId").GetInt64(), Is.EqualTo(first.MemberId));
            Assert.That(body.GetProperty("isNewMember").GetBoolean(), Is.False);
            Assert.That(body.GetProperty("token").GetString(), Is.Not.EqualTo(first.Token));
        });
    }

    [Test]
    public async Task Login_ConcurrentFirstLoginsOfOneUser_CreateOneMember()
    {
        var openId = NewOpenId();
        var codes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => MintCodeAsync(openId)));

        var responses = await Task.WhenAll(codes.Select(PostLoginAsync));
        var memberIds = await Task.WhenAll(responses.Select(async r => (await ReadAsync(r)).GetProperty("memberId").GetInt64()));

        Assert.Multiple(async () =>
        {
            Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(memberIds.Distinct().Count(), Is.EqualTo(1));
            Assert.That(await Api.ScalarAsync<long>(
                "SELECT COUNT(*) FROM member_identities WHERE value IN (@openId, @unionId)", new { openId, unionId = "u" + openId }), Is.EqualTo(2));
            // The losers' member rows were rolled back with their transactions, not left behind (merged-away shells of
            // other tests sharing this database have no identities by design).
            Assert.That(await Api.ScalarAsync<long>(
                "SELECT COUNT(*) FROM members m WHERE m.merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM member_identities i WHERE i.member_id = m.id)"), Is.Zero);
        });
    }

    [Test]
    public async Task Login_SecondMiniProgramOpenIdWithSameUnionId_ReturnsSameMember()
    {
        var unionId = "u_" + Guid.NewGuid().ToString("N");
        using var first = await LoginAsync(NewOpenId(), unionId);

        using var second = await LoginAsync(NewOpenId(), unionId);

        Assert.Multiple(async () =>
        {
            Assert.That(second.MemberId, Is.EqualTo(first.MemberId));
            Assert.That(await Api.ScalarAsync<long>(
                "SELECT COUNT(*) FROM member_identities WHERE member_id = @id AND kind = 'mp_openid'", new { id = first.MemberId }), Is.EqualTo(2));
            Assert.That(await Api.ScalarAsync<long>(
                "SELECT COUNT(*) FROM member_identities WHERE kind = 'unionid' AND value = @unionId", new { unionId }), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Login_WithUnknownCode_Returns401WithClearMessage()
    {
        var response = await PostLoginAsync("no-such-code");
        var problem = await ReadAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("LOGIN_CODE_INVALID"));
            Assert.That(problem.GetProperty("title").GetString(), Does.Contain("login code"));
        });
    }

    [Test]
    public async Task Login_WithUsedCode_Returns401AndCreatesNothing()
    {
        var openId = NewOpenId();
        var code = await MintCodeAsync(openId);
        Assert.That((await PostLoginAsync(code)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var reused = await PostLoginAsync(code);

        Assert.Multiple(async () =>
        {
            Assert.That(reused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await ReadAsync(reused)).GetProperty("code").GetString(), Is.EqualTo("LOGIN_CODE_INVALID"));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_identities WHERE value = @openId", new { openId }), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Login_WithoutCode_Returns400()
    {
        var response = await PostLoginAsync("");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Login_WhenWeChatUnreachable_Returns503()
    {
        // The assembly-wide API points its WeChat clients at a closed port.
        using var client = TestEnvironment.Api.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/login", new { code = "any" });

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That((await ReadAsync(response)).GetProperty("code").GetString(), Is.EqualTo("WECHAT_UNAVAILABLE"));
        });
    }
}
