using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Channels;

/// <summary>
/// GET /admin/followers: paged newest first, filtered by state, QR scene and nickname/openid, with the bound member;
/// bad paging or filters are 400; it belongs to the channels area (a viewer reads it, nobody without a role does).
/// </summary>
public sealed class FollowerListTests
{
    static ApiFactory Api => TestEnvironment.Api;

    /// <summary>Five followers of a fresh QR scene (what the callback leaves), the second one bound to a member.</summary>
    static async Task<(string Scene, string[] OpenIds, long MemberId)> SeedAsync()
    {
        var scene = "fl-" + Guid.NewGuid().ToString("N")[..12];
        var openIds = Enumerable.Range(0, 5).Select(i => $"o_fl_{scene}_{i}").ToArray();
        foreach (var (openId, i) in openIds.Select((o, i) => (o, i)))
            await Api.ScalarAsync<long>("""
                INSERT INTO followers (openid, state, source_channel, last_channel, nickname, first_subscribed_at, last_subscribed_at,
                    unsubscribed_at, created_at, updated_at)
                VALUES (@openId, @state, @scene, @scene, @nickname, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3),
                    IF(@state = 'unsubscribed', UTC_TIMESTAMP(3), NULL), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3));
                SELECT 1;
                """, new { openId, scene, state = i == 4 ? "unsubscribed" : "subscribed", nickname = i == 1 ? $"茶友_{scene}" : $"n{i}%_{scene}" });
        var memberId = await Api.ScalarAsync<long>("""
            INSERT INTO members (invite_code, created_at, updated_at) VALUES (LEFT(@scene, 16), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3));
            SELECT LAST_INSERT_ID();
            """, new { scene = scene.Replace("fl-", "I", StringComparison.Ordinal) });
        await Api.ScalarAsync<long>("INSERT INTO member_identities (member_id, kind, value, created_at) VALUES (@memberId, 'oa_openid', @openId, UTC_TIMESTAMP(3)); SELECT 1;",
            new { memberId, openId = openIds[1] });
        return (scene, openIds, memberId);
    }

    static async Task<JsonElement> PageAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/admin/followers?" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>())!;
    }

    static string[] OpenIds(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("openId").GetString()!)];

    [Test]
    public async Task List_PagesNewestFirst_FiltersByStateSceneAndNickname_ShowsTheBoundMember()
    {
        var (scene, openIds, memberId) = await SeedAsync();
        using var admin = Api.CreateAdminClient();

        var first = await PageAsync(admin, $"channel={scene}&pageSize=2");
        var second = await PageAsync(admin, $"channel={scene}&pageSize=2&page=2");
        var third = await PageAsync(admin, $"channel={scene}&pageSize=2&page=3");
        var following = await PageAsync(admin, $"channel={scene}&state=subscribed");
        var gone = await PageAsync(admin, $"channel={scene}&state=unsubscribed");
        var byNickname = await PageAsync(admin, "q=" + Uri.EscapeDataString($"茶友_{scene}"));
        var byOpenId = await PageAsync(admin, "q=" + openIds[3]);
        var likeIsLiteral = await PageAsync(admin, "q=" + Uri.EscapeDataString($"%_{scene}"));
        var bound = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Single(f => f.GetProperty("openId").GetString() == openIds[1]);

        Assert.Multiple(() =>
        {
            Assert.That(OpenIds(first), Is.EqualTo(new[] { openIds[4], openIds[3] }));
            Assert.That(first.GetProperty("hasMore").GetBoolean(), Is.True);
            Assert.That(OpenIds(second), Is.EqualTo(new[] { openIds[2], openIds[1] }));
            Assert.That(OpenIds(third), Is.EqualTo(new[] { openIds[0] }));
            Assert.That(third.GetProperty("hasMore").GetBoolean(), Is.False);
            Assert.That(OpenIds(following), Is.EqualTo(openIds[..4].Reverse()));
            Assert.That(OpenIds(gone), Is.EqualTo(new[] { openIds[4] }));
            Assert.That(gone.GetProperty("items")[0].GetProperty("unsubscribedAt").ValueKind, Is.EqualTo(JsonValueKind.String));
            Assert.That(OpenIds(byNickname), Is.EqualTo(new[] { openIds[1] }));
            Assert.That(OpenIds(byOpenId), Is.EqualTo(new[] { openIds[3] }));
            Assert.That(OpenIds(likeIsLiteral), Is.EqualTo(new[] { openIds[4], openIds[3], openIds[2], openIds[0] }), "% and _ are not wildcards");
            Assert.That(bound.GetProperty("memberId").GetInt64(), Is.EqualTo(memberId));
            Assert.That(bound.GetProperty("sourceChannel").GetString(), Is.EqualTo(scene));
            Assert.That(first.GetProperty("items")[0].GetProperty("memberId").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [TestCase("page=0")]
    [TestCase("pageSize=0")]
    [TestCase("pageSize=101")]
    [TestCase("state=blocked")]
    [TestCase("page=abc")]
    public async Task List_BadPagingOrFilter_Is400(string query)
    {
        using var admin = Api.CreateAdminClient();
        var response = await admin.GetAsync("/admin/followers?" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task List_IsInTheChannelsArea_AViewerReads_NoCredentialsIs401()
    {
        using var admin = Api.CreateAdminClient();
        var created = await admin.PostAsJsonAsync("/admin/api-tokens", new { name = "followers " + Guid.NewGuid().ToString("N")[..6], role = "viewer", expiresInDays = 1 });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        using var viewer = Api.CreateClient();
        viewer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var anonymous = Api.CreateClient();

        var endpoint = Api.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().Single(e => e.RoutePattern.RawText?.TrimEnd('/') == "/admin/followers");

        Assert.Multiple(async () =>
        {
            Assert.That(endpoint.Metadata.GetMetadata<WeChatMall.Api.Infrastructure.Auth.AdminArea>(), Is.EqualTo(WeChatMall.Api.Infrastructure.Auth.AdminArea.Channels));
            Assert.That((await viewer.GetAsync("/admin/followers")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await anonymous.GetAsync("/admin/followers")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }
}
