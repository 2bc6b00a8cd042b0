using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;

namespace WeChatMall.Api.Tests.Features.Members;

public sealed class MemberSessionTests
{
    [Test]
    public async Task Me_WithoutToken_Returns401ProblemDetails()
    {
        using var client = MembersEnvironment.Api.CreateClient();

        var response = await client.GetAsync("/api/me");

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((await ReadAsync(response)).GetProperty("code").GetString(), Is.EqualTo("TOKEN_MISSING"));
        });
    }

    [Test]
    public async Task Me_WithUnknownToken_Returns401()
    {
        using var client = Bearer(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

        var response = await client.GetAsync("/api/me");

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await ReadAsync(response)).GetProperty("code").GetString(), Is.EqualTo("TOKEN_INVALID"));
        });
    }

    [Test]
    public async Task Me_WithAdminKeyInsteadOfToken_Returns401()
    {
        using var admin = MembersEnvironment.Api.CreateAdminClient();

        Assert.That((await admin.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Me_AfterLogout_Returns401AndOtherSessionsStay()
    {
        using var first = await LoginAsync();
        using var second = await LoginAsync(first.OpenId);
        Assert.That((await first.Client.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var logout = await first.Client.PostAsync("/api/auth/logout", null);

        Assert.Multiple(async () =>
        {
            Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That((await first.Client.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await first.Client.PostAsync("/api/auth/logout", null)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await second.Client.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Login_StoresOnlyTokenHash_WithConfiguredExpiry()
    {
        using var member = await LoginAsync();
        var redis = MembersEnvironment.Api.Services.GetRequiredService<IDatabase>();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(member.Token)));

        var stored = await redis.StringGetAsync("member:session:" + hash);
        var ttl = await redis.KeyTimeToLiveAsync("member:session:" + hash);
        var byRawToken = await redis.KeyExistsAsync("member:session:" + member.Token);

        Assert.Multiple(() =>
        {
            Assert.That(stored.ToString(), Is.EqualTo(member.MemberId.ToString()));
            Assert.That(ttl, Is.GreaterThan(TimeSpan.FromHours(167)).And.LessThanOrEqualTo(TimeSpan.FromHours(168)));
            Assert.That(byRawToken, Is.False);
        });
    }

    [Test]
    public async Task Me_AfterLogin_ShowsProfileWithIdentityKindsOnly()
    {
        var unionId = "u_" + Guid.NewGuid().ToString("N");
        using var member = await LoginAsync(unionId: unionId);

        var me = await ReadAsync(await member.Client.GetAsync("/api/me"));
        var text = me.GetRawText();

        Assert.Multiple(() =>
        {
            Assert.That(me.GetProperty("id").GetInt64(), Is.EqualTo(member.MemberId));
            Assert.That(me.GetProperty("inviteCode").GetString(), Does.Match("^[0-9A-Z]{8}$"));
            Assert.That(me.GetProperty("pointsBalance").GetInt64(), Is.Zero);
            Assert.That(me.GetProperty("tier").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(me.GetProperty("identities").EnumerateArray().Select(i => i.GetString()), Is.EquivalentTo(new[] { "mp_openid", "unionid" }));
            Assert.That(text, Does.Not.Contain(member.OpenId).And.Not.Contain(unionId).And.Not.Contain("session").IgnoreCase);
        });
    }

    [Test]
    public async Task Me_WithRedisUnreachable_Returns503NotA401()
    {
        using var member = await LoginAsync();
        await using var sibling = MembersEnvironment.Api.StartSibling(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=200,abortConnect=false,asyncTimeout=500",
        });
        using var client = sibling.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", member.Token);

        var response = await client.GetAsync("/api/me");

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That((await ReadAsync(response)).GetProperty("code").GetString(), Is.EqualTo("SESSIONS_UNAVAILABLE"));
        });
    }
}
