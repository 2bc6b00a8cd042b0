using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;

namespace WeChatMall.Api.Tests.Features.Members;

/// <summary>getPhoneNumber codes from the sandbox, phone binding, prospects (members known only by phone) and a shopper's data.</summary>
public static class PhoneTestData
{
    public static string NewNumber() => "137" + Random.Shared.NextInt64(10_000_000, 99_999_999);

    public static async Task<string> MintPhoneCodeAsync(string purePhoneNumber)
    {
        var response = await MembersEnvironment.Sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/phone-codes", new { purePhoneNumber, countryCode = "86" });
        response.EnsureSuccessStatusCode();
        return (await ReadAsync(response)).GetProperty("code").GetString()!;
    }

    public static async Task<HttpResponseMessage> BindPhoneAsync(HttpClient member, string number) =>
        await member.PostAsJsonAsync("/api/me/phone", new { code = await MintPhoneCodeAsync(number) });

    /// <summary>A customer the merchant knows only by phone (POST /admin/members): no WeChat identity.</summary>
    public static async Task<long> CreateProspectAsync(string number, ApiFactory? api = null)
    {
        using var admin = (api ?? MembersEnvironment.Api).CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/admin/members", new { phone = number });
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return (await ReadAsync(response)).GetProperty("id").GetInt64();
    }

    public static async Task<long> AddAddressAsync(HttpClient member, string recipient)
    {
        var response = await member.PostAsJsonAsync("/api/me/addresses", new
        {
            recipient, phone = "13800000000", province = "广东省", city = "深圳市", district = "南山区", detail = "科技园 9 号",
        });
        Assert.That((int)response.StatusCode, Is.EqualTo(201).Or.EqualTo(200), await response.Content.ReadAsStringAsync());
        return (await ReadAsync(response)).GetProperty("id").GetInt64();
    }

    public static async Task<long[]> AddressIdsAsync(HttpClient member) =>
        (await ReadAsync(await member.GetAsync("/api/me/addresses"))).EnumerateArray().Select(a => a.GetProperty("id").GetInt64()).ToArray();

    public static async Task<long> SessionMemberAsync(HttpClient member)
    {
        var response = await member.GetAsync("/api/me");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return (await ReadAsync(response)).GetProperty("id").GetInt64();
    }

    public static Task<long> PhoneHolderAsync(string number) => MembersEnvironment.Api.ScalarAsync<long>(
        "SELECT member_id FROM member_identities WHERE kind = 'phone' AND value = @phone", new { phone = "+86" + number });

    public static Task<long?> MergedIntoAsync(long memberId) => MembersEnvironment.Api.ScalarAsync<long?>(
        "SELECT merged_into FROM members WHERE id = @memberId", new { memberId });

    public static string? Code(JsonElement problem) => problem.TryGetProperty("code", out var c) ? c.GetString() : null;
}
