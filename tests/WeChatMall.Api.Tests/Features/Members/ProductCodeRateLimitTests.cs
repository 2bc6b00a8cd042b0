using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;
using static WeChatMall.Api.Tests.Features.Members.ProductCodeTestData;

namespace WeChatMall.Api.Tests.Features.Members;

public sealed class ProductCodeRateLimitTests
{
    static string UnknownCode() => "ZZZZ-ZZZZ-ZZZZ-" + Random.Shared.Next(1000, 9999).ToString().Replace('0', 'Z').Replace('1', 'Y');

    // The TestServer has no client IP, so this instance counts per member only (the default limit, 10).
    [Test]
    public async Task Claim_11thFailureOfAMember_Returns429ButAnotherMemberStillClaims()
    {
        var batch = await CreateBatchAsync(points: 15, count: 2);
        using var guesser = await LoginAsync();
        using var other = await LoginAsync();

        var failures = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++) failures.Add((await ClaimAsync(guesser.Client, UnknownCode())).StatusCode);
        var eleventh = await ClaimAsync(guesser.Client, UnknownCode());
        var validButThrottled = await ClaimAsync(guesser.Client, batch.Codes[0]);
        var otherMember = await ClaimAsync(other.Client, batch.Codes[1]);

        Assert.Multiple(async () =>
        {
            Assert.That(failures, Is.All.EqualTo(HttpStatusCode.NotFound));
            Assert.That(eleventh.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That((await ReadAsync(eleventh)).GetProperty("code").GetString(), Is.EqualTo("CODE_CLAIM_RATE_LIMITED"));
            Assert.That(int.Parse(eleventh.Headers.GetValues("Retry-After").Single()), Is.InRange(1, 600));
            Assert.That(validButThrottled.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(otherMember.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await MembersEnvironment.Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @id", new { id = guesser.MemberId }), Is.EqualTo(0));
        });
    }

    [Test]
    public async Task Claim_SuccessfulClaims_DoNotCountAsFailures()
    {
        var batch = await CreateBatchAsync(points: 1, count: 12);
        using var member = await LoginAsync();

        var statuses = new List<HttpStatusCode>();
        foreach (var code in batch.Codes) statuses.Add((await ClaimAsync(member.Client, code)).StatusCode);
        for (var i = 0; i < 9; i++) statuses.Add((await ClaimAsync(member.Client, UnknownCode())).StatusCode);
        var tenthFailure = await ClaimAsync(member.Client, UnknownCode());

        Assert.Multiple(async () =>
        {
            Assert.That(statuses.Take(12), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(tenthFailure.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await MembersEnvironment.Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @id", new { id = member.MemberId }), Is.EqualTo(12));
        });
    }

    // On Kestrel every request comes from 127.0.0.1: failures of several members add up for that IP.
    [Test]
    public async Task Claim_FailuresFromOneIpAcrossMembers_Returns429ForAFreshMemberOnThatIp()
    {
        var settings = MembersEnvironment.Sandbox.ApiSettings();
        settings["Members:CodeClaimIpFailuresPerWindow"] = "6";
        await using var api = await ApiFactory.StartAsync(settings, kestrel: true);
        var batch = await CreateBatchAsync(count: 1, api: api);
        using var first = await LoginOnAsync(api);
        using var second = await LoginOnAsync(api);
        using var fresh = await LoginOnAsync(api);

        for (var i = 0; i < 4; i++) await ClaimAsync(first, UnknownCode());
        for (var i = 0; i < 2; i++) await ClaimAsync(second, UnknownCode());
        var freshUnknown = await ClaimAsync(fresh, UnknownCode());
        var freshValid = await ClaimAsync(fresh, batch.Codes[0]);

        Assert.Multiple(() =>
        {
            Assert.That(freshUnknown.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(freshValid.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(freshUnknown.Headers.Contains("Retry-After"), Is.True);
        });
    }

    // Behind our reverse proxy (127.0.0.1, configured as known) with the shipped limits: one member's guessing locks
    // that member, not the other shoppers behind the same address; the per-IP counter is the much looser second line.
    [Test]
    public async Task Claim_BehindAKnownProxy_OneMembersFailuresDoNotLockOthersOnTheSameOrAnotherClientIp()
    {
        var settings = MembersEnvironment.Sandbox.ApiSettings();
        settings["Http:KnownProxies:0"] = "127.0.0.1";
        await using var api = await ApiFactory.StartAsync(settings, kestrel: true);
        var batch = await CreateBatchAsync(count: 2, api: api);
        using var guesser = await LoginOnAsync(api);
        using var neighbour = await LoginOnAsync(api);
        using var elsewhere = await LoginOnAsync(api);
        guesser.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.60");
        neighbour.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.60");
        elsewhere.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.61");

        for (var i = 0; i < 10; i++) await ClaimAsync(guesser, UnknownCode());
        var guesserAgain = await ClaimAsync(guesser, UnknownCode());
        var neighbourUnknown = await ClaimAsync(neighbour, UnknownCode());
        var neighbourValid = await ClaimAsync(neighbour, batch.Codes[0]);
        var elsewhereValid = await ClaimAsync(elsewhere, batch.Codes[1]);

        Assert.Multiple(() =>
        {
            Assert.That(guesserAgain.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(neighbourUnknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(neighbourValid.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(elsewhereValid.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    static async Task<HttpClient> LoginOnAsync(ApiFactory api)
    {
        var client = api.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { code = await MintCodeAsync(NewOpenId()) });
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await ReadAsync(response)).GetProperty("token").GetString());
        return client;
    }
}
