using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Offers;

public sealed record OfferMember(long MemberId, HttpClient Client) : IDisposable
{
    public void Dispose() => Client.Dispose();
}

/// <summary>Members (a row and a real session), coupon templates and draws through the admin API.</summary>
public static class OfferTestData
{
    public static async Task<OfferMember> NewMemberAsync(ApiFactory api)
    {
        var memberId = await api.ScalarAsync<long>("""
            INSERT INTO members (invite_code, created_at, updated_at) VALUES (@invite, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3));
            SELECT LAST_INSERT_ID();
            """, new { invite = Guid.NewGuid().ToString("N")[..12] });
        var session = await api.Services.GetRequiredService<MemberSessions>().IssueAsync(memberId, CancellationToken.None);
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        return new OfferMember(memberId, client);
    }

    /// <summary>A template body: 满减 amountOffFen off from thresholdFen, valid 30 days after receipt; overrides replace fields.</summary>
    public static Dictionary<string, object?> Template(long amountOffFen = 500, long thresholdFen = 0, int? totalStock = null, int perMemberLimit = 1) => new()
    {
        ["title"] = "coupon " + Guid.NewGuid().ToString("N")[..8], ["description"] = "test", ["terms"] = "none", ["kind"] = "amount_off",
        ["amountOffFen"] = amountOffFen, ["percentOff"] = 0, ["thresholdFen"] = thresholdFen, ["scope"] = "all", ["validDays"] = 30,
        ["totalStock"] = totalStock, ["perMemberLimit"] = perMemberLimit, ["audience"] = "all", ["combinableWithTier"] = true,
        ["claimable"] = true, ["active"] = true,
    };

    public static async Task<long> NewTemplateAsync(ApiFactory api, Dictionary<string, object?> body)
    {
        using var admin = api.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/admin/offers/coupon-templates", body);
        var json = await ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), json.ToString());
        return json.GetProperty("id").GetInt64();
    }

    /// <summary>Claims one coupon of the template from the coupon centre; returns the member coupon id.</summary>
    public static async Task<long> ClaimAsync(OfferMember member, long templateId)
    {
        var response = await member.Client.PostAsync($"/api/coupons/{templateId}/claim", null);
        var json = await ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), json.ToString());
        return json.GetProperty("id").GetInt64();
    }

    public static Task<string> CouponStatusAsync(ApiFactory api, long memberCouponId) =>
        api.ScalarAsync<string>("SELECT status FROM member_coupons WHERE id = @memberCouponId", new { memberCouponId });

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
