using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.LoyaltyTestData;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;

namespace WeChatMall.Api.Tests.Features.Members;

/// <summary>A verified phone number another member holds merges the two (Members:MergeOnVerifiedPhone, on by default).</summary>
public sealed class MemberPhoneMergeTests
{
    static ApiFactory Api => MembersEnvironment.Api;
    static ApiFactory merging = null!;

    [OneTimeSetUp]
    public void Start() => merging = Api.StartSibling(new Dictionary<string, string?> { ["Members:MergeOnVerifiedPhone"] = "true" });

    [OneTimeTearDown]
    public async Task StopAsync() => await merging.DisposeAsync();

    static HttpClient OnMerging(string token)
    {
        var client = merging.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    static string NewNumber() => "137" + Random.Shared.NextInt64(10_000_000, 99_999_999);

    static async Task<string> MintPhoneCodeAsync(string purePhoneNumber)
    {
        var response = await MembersEnvironment.Sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/phone-codes", new { purePhoneNumber, countryCode = "86" });
        response.EnsureSuccessStatusCode();
        return (await ReadAsync(response)).GetProperty("code").GetString()!;
    }

    static async Task<HttpResponseMessage> BindOnMergingAsync(SignedIn member, string number)
    {
        using var client = OnMerging(member.Token);
        return await client.PostAsJsonAsync("/api/me/phone", new { code = await MintPhoneCodeAsync(number) });
    }

    [Test]
    public async Task NewerMemberVerifiesOlderMembersPhone_Merged_OlderSurvives_PointsSummed_NewSessionIssued()
    {
        using var older = await LoginAsync();
        using var newer = await LoginAsync();
        await AdjustAsync(older.MemberId, 100);
        await AdjustAsync(newer.MemberId, 40);
        var number = NewNumber();
        Assert.That((await BindOnMergingAsync(older, number)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var response = await BindOnMergingAsync(newer, number);

        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        var body = await ReadAsync(response);
        using var survivorClient = OnMerging(body.GetProperty("token").GetString()!);
        using var oldClient = OnMerging(newer.Token);
        var me = await ReadAsync(await survivorClient.GetAsync("/api/me"));
        Assert.Multiple(async () =>
        {
            Assert.That(body.GetProperty("mergedInto").GetInt64(), Is.EqualTo(older.MemberId));
            Assert.That(me.GetProperty("id").GetInt64(), Is.EqualTo(older.MemberId));
            Assert.That(me.GetProperty("pointsBalance").GetInt64(), Is.EqualTo(140));
            Assert.That(await LedgerSumAsync(older.MemberId), Is.EqualTo(140));
            Assert.That(await LotsSumAsync(older.MemberId), Is.EqualTo(140));
            Assert.That((await oldClient.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the merged member's token is revoked");
            Assert.That(await Api.ScalarAsync<long>("SELECT merged_into FROM members WHERE id = @id", new { id = newer.MemberId }), Is.EqualTo(older.MemberId));
            Assert.That(await Api.ScalarAsync<string>("SELECT merged_by FROM member_merges WHERE merged_id = @id", new { id = newer.MemberId }), Is.EqualTo("auto:phone"));
            Assert.That(await Api.ScalarAsync<long>("SELECT member_id FROM member_identities WHERE kind = 'phone' AND value = @p", new { p = "+86" + number }),
                Is.EqualTo(older.MemberId));
        });
    }

    [Test]
    public async Task OlderMemberVerifiesNewerMembersPhone_CallerSurvives_KeepsOnlyTheVerifiedNumber()
    {
        using var older = await LoginAsync();
        using var newer = await LoginAsync();
        var oldNumber = NewNumber();
        var number = NewNumber();
        Assert.That((await BindOnMergingAsync(older, oldNumber)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await BindOnMergingAsync(newer, number)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AdjustAsync(newer.MemberId, 25);

        var response = await BindOnMergingAsync(older, number);

        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        var body = await ReadAsync(response);
        Assert.Multiple(async () =>
        {
            Assert.That(body.GetProperty("mergedInto").GetInt64(), Is.EqualTo(older.MemberId));
            Assert.That(body.TryGetProperty("token", out var t) && t.ValueKind == System.Text.Json.JsonValueKind.String, Is.False, "the caller survives: its token stays");
            Assert.That((await older.Client.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await BalanceAsync(older.MemberId), Is.EqualTo(25));
            Assert.That(await Api.QueryAsync<string>("SELECT value FROM member_identities WHERE member_id = @id AND kind = 'phone'", new { id = older.MemberId }),
                Is.EqualTo(new[] { "+86" + number }));
        });
    }
}
