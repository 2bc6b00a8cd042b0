using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Tests.TestHost;
using WeChatMall.Sandbox.OfficialAccount;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;
using static WeChatMall.Api.Tests.Features.Members.OAuthTestData;

namespace WeChatMall.Api.Tests.Features.Members;

public sealed class MemberOAuthTests
{
    static ApiFactory Api => MembersEnvironment.Api;

    [Test]
    public async Task Authorize_WithLocalReturnUrl_RedirectsToWeChatWithStateAndSetsBrowserCookie()
    {
        using var browser = NewBrowser();

        var response = await AuthorizeAsync(browser, "/shop/home", scope: "userinfo");

        var location = response.Headers.Location!;
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("wcm_oauth=", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(location.GetLeftPart(UriPartial.Path), Is.EqualTo(MembersEnvironment.Sandbox.BaseUrl + "/connect/oauth2/authorize"));
            Assert.That(location.Query, Does.Contain("scope=snsapi_userinfo"));
            Assert.That(location.Query, Does.Contain("redirect_uri=" + Uri.EscapeDataString("http://localhost/api/oauth/callback")));
            Assert.That(StateOf(location), Does.Match("^[A-Za-z0-9]{32}$"));
            Assert.That(cookie.ToLowerInvariant(), Does.Contain("httponly").And.Contain("samesite=lax").And.Contain("path=/api/oauth"));
        });
    }

    [Test]
    public async Task SignIn_NewFollower_CreatesMemberWithOaOpenIdAndHandsTokenInFragment()
    {
        using var browser = NewBrowser();
        var openId = NewOaOpenId();

        var (callback, _) = await SignInAsync(browser, openId, returnUrl: "/shop/home?tab=1");

        Assert.That(callback.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await callback.Content.ReadAsStringAsync());
        var fragment = Fragment(callback);
        var memberId = long.Parse(fragment["memberId"]);
        using var member = Bearer(fragment["token"]);
        var me = await ReadAsync(await member.GetAsync("/api/me"));
        Assert.Multiple(async () =>
        {
            Assert.That(callback.Headers.Location!.OriginalString, Does.StartWith("/shop/home?tab=1&oauth=ok#token="));
            Assert.That(fragment["isNewMember"], Is.EqualTo("true"));
            Assert.That(me.GetProperty("id").GetInt64(), Is.EqualTo(memberId));
            Assert.That(me.GetProperty("identities").EnumerateArray().Select(i => i.GetString()), Is.EquivalentTo(new[] { "oa_openid" }),
                "snsapi_base gives no UnionID");
            Assert.That(await Api.ScalarAsync<long>("SELECT member_id FROM member_identities WHERE kind = 'oa_openid' AND value = @openId", new { openId }),
                Is.EqualTo(memberId));
        });
    }

    [Test]
    public async Task SignIn_SameUnionIdAsMiniProgramMember_BindsOaOpenIdToThatMember()
    {
        var oaOpenId = NewOaOpenId();
        var unionId = "u" + oaOpenId;   // the sandbox's UnionID for that follower
        using var shopper = await LoginAsync(NewOpenId(), unionId);
        using var browser = NewBrowser();

        var (callback, _) = await SignInAsync(browser, oaOpenId, scope: "userinfo");

        var fragment = Fragment(callback);
        Assert.Multiple(async () =>
        {
            Assert.That(long.Parse(fragment["memberId"]), Is.EqualTo(shopper.MemberId));
            Assert.That(fragment["isNewMember"], Is.EqualTo("false"));
            Assert.That(await Api.ScalarAsync<long>(
                "SELECT COUNT(DISTINCT member_id) FROM member_identities WHERE value IN (@oaOpenId, @unionId, @mp)",
                new { oaOpenId, unionId, mp = shopper.OpenId }), Is.EqualTo(1), "one member holds all three identities");
            Assert.That(await Api.ScalarAsync<long>(
                "SELECT COUNT(*) FROM member_identities WHERE member_id = @id", new { id = shopper.MemberId }), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task SignIn_WithUserInfoScope_StoresNicknameOnFollowerRow()
    {
        var openId = NewOaOpenId();
        MembersEnvironment.Sandbox.Services.GetRequiredService<FollowerRegistry>().Update(openId, f => f with { Nickname = "Dora" });
        await Api.ScalarAsync<long>("""
            INSERT INTO followers (openid, state, created_at, updated_at) VALUES (@openId, 'subscribed', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3));
            SELECT 1
            """, new { openId });
        using var browser = NewBrowser();

        var (callback, _) = await SignInAsync(browser, openId, scope: "userinfo");

        Assert.Multiple(async () =>
        {
            Assert.That(callback.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(await Api.ScalarAsync<string>("SELECT nickname FROM followers WHERE openid = @openId", new { openId }), Is.EqualTo("Dora"));
        });
    }

    [Test]
    public async Task Callback_ReplayedState_Returns400()
    {
        using var browser = NewBrowser();
        var (first, callbackUrl) = await SignInAsync(browser, NewOaOpenId());
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));

        var replay = await browser.GetAsync(callbackUrl.PathAndQuery);

        Assert.Multiple(async () =>
        {
            Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await ReadAsync(replay)).GetProperty("code").GetString(), Is.EqualTo("OAUTH_STATE_INVALID"));
        });
    }

    [Test]
    public async Task Callback_InAnotherBrowser_Returns400AndBindsNothing()
    {
        using var victim = NewBrowser();
        using var attacker = NewBrowser();
        var openId = NewOaOpenId();
        var callbackUrl = await ConsentAsync(await AuthorizeAsync(attacker, "/shop/home"), openId);

        var response = await victim.GetAsync(callbackUrl.PathAndQuery);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await ReadAsync(response)).GetProperty("code").GetString(), Is.EqualTo("OAUTH_STATE_MISMATCH"));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_identities WHERE value = @openId", new { openId }), Is.Zero);
        });
    }

    [TestCase("https://evil.example.org/steal")]
    [TestCase("//evil.example.org/steal")]
    [TestCase("/\\evil.example.org")]
    [TestCase("https://shop.example.com.evil.example.org/")]
    [TestCase("https://shop.example.com@evil.example.org/")]
    [TestCase("javascript:alert(1)")]
    [TestCase("/shop#elsewhere")]
    [TestCase("")]
    public async Task Authorize_ReturnUrlNotAllowed_Returns400(string returnUrl)
    {
        using var browser = NewBrowser();

        var response = await AuthorizeAsync(browser, returnUrl);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await ReadAsync(response)).GetProperty("errors").TryGetProperty("returnUrl", out _), Is.True);
        });
    }

    [Test]
    public async Task SignIn_ReturnUrlOnConfiguredHost_RedirectsThere()
    {
        using var browser = NewBrowser();

        var (callback, _) = await SignInAsync(browser, NewOaOpenId(), returnUrl: $"https://{ShopHost}/welcome");

        Assert.That(callback.Headers.Location!.OriginalString, Does.StartWith($"https://{ShopHost}/welcome?oauth=ok#token="));
    }

    [Test]
    public async Task Authorize_UnknownScope_Returns400()
    {
        using var browser = NewBrowser();

        var response = await AuthorizeAsync(browser, "/shop", scope: "snsapi_login");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task SignIn_SnapshotUser_RedirectsWithSnapshotAndBindsNothing()
    {
        using var browser = NewBrowser();
        var openId = NewOaOpenId();

        var (callback, _) = await SignInAsync(browser, openId, scope: "userinfo", snapshot: true);

        Assert.Multiple(async () =>
        {
            Assert.That(callback.Headers.Location!.OriginalString, Is.EqualTo("/shop/home?oauth=snapshot"));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_identities WHERE value = @openId", new { openId }), Is.Zero);
        });
    }

    [Test]
    public async Task Callback_WithoutCode_RedirectsAsDenied()
    {
        using var browser = NewBrowser();
        var authorize = await AuthorizeAsync(browser, "/shop/home");

        var response = await browser.GetAsync($"/api/oauth/callback?state={StateOf(authorize.Headers.Location!)}");

        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo("/shop/home?oauth=denied"));
    }

    [Test]
    public async Task Callback_WithUsedCode_Returns401()
    {
        using var browser = NewBrowser();
        var openId = NewOaOpenId();
        var minted = await MembersEnvironment.Sandbox.Client.PostAsJsonAsync("/sandbox/oauth/codes", new { openId, scope = "snsapi_base" });
        var code = (await ReadAsync(minted)).GetProperty("code").GetString();
        var first = StateOf((await AuthorizeAsync(browser, "/shop")).Headers.Location!);
        var second = StateOf((await AuthorizeAsync(browser, "/shop")).Headers.Location!);
        Assert.That((await browser.GetAsync($"/api/oauth/callback?code={code}&state={first}")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect));

        var reused = await browser.GetAsync($"/api/oauth/callback?code={code}&state={second}");

        Assert.Multiple(async () =>
        {
            Assert.That(reused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await ReadAsync(reused)).GetProperty("code").GetString(), Is.EqualTo("OAUTH_CODE_INVALID"));
        });
    }

    [Test]
    public async Task Callback_WhenWeChatUnreachable_Returns503()
    {
        // The assembly-wide API points its WeChat clients at a closed port.
        using var browser = NewBrowser(TestEnvironment.Api);
        var authorize = await AuthorizeAsync(browser, "/shop");

        var response = await browser.GetAsync($"/api/oauth/callback?code=any&state={StateOf(authorize.Headers.Location!)}");

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That((await ReadAsync(response)).GetProperty("code").GetString(), Is.EqualTo("WECHAT_UNAVAILABLE"));
        });
    }
}
