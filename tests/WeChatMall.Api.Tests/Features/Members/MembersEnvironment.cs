using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Members;

/// <summary>The sandbox playing WeChat, and an API instance whose WeChat clients point at it, for every member test.</summary>
[SetUpFixture]
public sealed class MembersEnvironment
{
    public static SandboxHost Sandbox { get; private set; } = null!;
    public static ApiFactory Api { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Sandbox = await SandboxHost.StartAsync();
        var settings = Sandbox.ApiSettings();
        settings["Members:OAuthReturnHosts:0"] = OAuthTestData.ShopHost;
        settings["Members:CodeBaseUrl"] = ProductCodeTestData.BaseUrl;
        // Loyalty: fixed rewards to assert on; the expiry job is run by the test itself (LoyaltyExpiryTests).
        settings["Loyalty:FirstOrderBonusPoints"] = LoyaltyTestData.FirstOrderBonus.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Loyalty:ReferralRewardPoints"] = LoyaltyTestData.ReferralReward.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Loyalty:InviteBaseUrl"] = LoyaltyTestData.InviteBaseUrl;
        settings["Jobs:PointsExpiry:Enabled"] = "false";
        // Everything else as shipped; a test that needs another setting starts its own host, named for it
        // (e.g. MemberPhoneWithoutAutoMergeTests).
        Api = await ApiFactory.StartAsync(settings);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await Api.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}

public sealed record SignedIn(long MemberId, string Token, string OpenId, HttpClient Client) : IDisposable
{
    public void Dispose() => Client.Dispose();
}

/// <summary>Logins as the mini-program does them: a code minted by the sandbox (wx.login), then POST /api/auth/login.</summary>
public static class MemberTestData
{
    public static string NewOpenId() => "o_mp_" + Guid.NewGuid().ToString("N")[..20];

    public static async Task<string> MintCodeAsync(string openId, string? unionId = null)
    {
        var response = await MembersEnvironment.Sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/codes", new { openId, unionId });
        response.EnsureSuccessStatusCode();
        return (await ReadAsync(response)).GetProperty("code").GetString()!;
    }

    public static async Task<HttpResponseMessage> PostLoginAsync(string code)
    {
        using var client = MembersEnvironment.Api.CreateClient();
        return await client.PostAsJsonAsync("/api/auth/login", new { code });
    }

    public static async Task<SignedIn> LoginAsync(string? openId = null, string? unionId = null)
    {
        openId ??= NewOpenId();
        var response = await PostLoginAsync(await MintCodeAsync(openId, unionId));
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        var body = await ReadAsync(response);
        var token = body.GetProperty("token").GetString()!;
        return new SignedIn(body.GetProperty("memberId").GetInt64(), token, openId, Bearer(token));
    }

    public static HttpClient Bearer(string token)
    {
        var client = MembersEnvironment.Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<HttpResponseMessage> AdjustAsync(long memberId, long delta, string reason = "test", string? idempotencyKey = null)
    {
        using var admin = MembersEnvironment.Api.CreateAdminClient();
        return await admin.PostAsJsonAsync($"/admin/members/{memberId}/points", new { delta, reason, idempotencyKey });
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
