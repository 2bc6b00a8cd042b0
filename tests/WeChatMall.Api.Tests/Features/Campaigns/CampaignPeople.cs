using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Tests.Features.Catalog;
using WeChatMall.Api.Tests.Features.Members;
using WeChatMall.Api.Tests.TestHost;
using WeChatMall.Sandbox.OfficialAccount;

namespace WeChatMall.Api.Tests.Features.Campaigns;

/// <summary>A member as the tests drive them: the shop client, the Official Account and mini-program openids.</summary>
public sealed record Person(long MemberId, string OaOpenId, string MpOpenId, HttpClient Client);

/// <summary>Members, segments and campaigns through the real endpoints, the sandbox's OAuth, follower simulator and WeChat Pay.</summary>
public static class CampaignPeople
{
    static ApiFactory Api => CampaignsEnvironment.Api;
    static SandboxHost Sandbox => CampaignsEnvironment.Sandbox;

    public const string OaTemplate = "tmpl_points_expiring_01";
    public const string SubscribeTemplate = "sub_activity_0001";

    /// <summary>
    /// A member known by web OAuth (Official Account openid) and the mini-program (same UnionID); following when asked.
    /// The sandbox's followers have no nickname unless one is given.
    /// </summary>
    public static async Task<Person> NewMemberAsync(bool follow = true, string? nickname = null)
    {
        var oa = OAuthTestData.NewOaOpenId();
        if (nickname is not null) Sandbox.Services.GetRequiredService<FollowerRegistry>().Update(oa, f => f with { Nickname = nickname });
        using (var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = Api.BaseAddress })
            await OAuthTestData.SignInAsync(browser, oa, scope: "userinfo");
        var mp = "o_mp_" + Guid.NewGuid().ToString("N")[..20];
        var minted = await ReadAsync(await Sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/codes", new { openId = mp, unionId = "u" + oa }));
        using var anonymous = Api.CreateClient();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { code = minted.GetProperty("code").GetString() });
        var body = await ReadAsync(login);
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        var person = new Person(body.GetProperty("memberId").GetInt64(), oa, mp, client);
        if (follow) await FollowAsync(person);
        if (nickname is not null && follow)
        {
            // The nickname is kept on the follower row, which exists once they follow: sign in again, as a returning member would.
            using var again = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = Api.BaseAddress };
            await OAuthTestData.SignInAsync(again, oa, scope: "userinfo");
        }
        return person;
    }

    public static async Task FollowAsync(Person p)
    {
        await Act($"/sandbox/followers/{p.OaOpenId}/subscribe", new { });
        await WaitForStatsAsync(p, "following = TRUE");
    }

    public static async Task UnfollowAsync(Person p)
    {
        await Act($"/sandbox/followers/{p.OaOpenId}/unsubscribe", new { });
        await WaitForStatsAsync(p, "following = FALSE");
    }

    /// <summary>The follower writes to the Official Account: the 48-hour customer-service window opens.</summary>
    public static async Task WriteAsync(Person p, string content)
    {
        var before = Clock.GetUtcNow().UtcDateTime.AddHours(47);
        await Act($"/sandbox/followers/{p.OaOpenId}/text", new { content });
        var until = await Eventually.MatchAsync(() => Api.ScalarAsync<DateTime?>("SELECT window_until FROM member_stats WHERE member_id = @m", new { m = p.MemberId }),
            u => u > before, 15_000);
        Assert.That(until, Is.GreaterThan(before), "the window opened");
    }

    static RunningClock Clock => CampaignsEnvironment.Clock;

    static async Task WaitForStatsAsync(Person p, string condition)
    {
        var n = await Eventually.MatchAsync(() => Api.ScalarAsync<long>(
            $"SELECT COUNT(*) FROM member_stats WHERE member_id = @m AND {condition}", new { m = p.MemberId }), x => x == 1, 15_000);
        Assert.That(n, Is.EqualTo(1), $"member {p.MemberId}: {condition}");
    }

    /// <summary>A saved segment holding exactly these members (through a manual tag).</summary>
    public static async Task<long> SegmentOfAsync(params Person[] people)
    {
        using var admin = Api.CreateAdminClient();
        var tag = await ReadAsync(await admin.PostAsJsonAsync("/admin/tags", new { name = "c-" + Guid.NewGuid().ToString("N")[..10] }));
        var tagId = tag.GetProperty("id").GetInt64();
        foreach (var p in people)
        {
            var tagged = await admin.PostAsJsonAsync($"/admin/members/{p.MemberId}/tags", new { tagId });
            Assert.That((int)tagged.StatusCode, Is.LessThan(300), await tagged.Content.ReadAsStringAsync());
        }
        var segment = await admin.PostAsJsonAsync("/admin/segments", new { name = "campaign", rule = new { field = "tag", op = "in", value = new[] { tagId } } });
        Assert.That(segment.StatusCode, Is.EqualTo(HttpStatusCode.Created), await segment.Content.ReadAsStringAsync());
        return (await ReadAsync(segment)).GetProperty("id").GetInt64();
    }

    public static object TemplateContent => new
    {
        template = new { templateId = OaTemplate, data = new Dictionary<string, string> { ["thing1"] = "{nickname}会员", ["number2"] = "{points}", ["date3"] = "2026-12-31" } },
        subscribe = new { templateId = SubscribeTemplate, data = new Dictionary<string, string> { ["thing1"] = "年终会员日", ["thing2"] = "积分{points}可抵现" } },
        text = "{nickname}，年终会员日来啦，您有 {points} 积分",
    };

    /// <summary>Adds a member to a segment made by <see cref="SegmentOfAsync"/> (its manual tag).</summary>
    public static async Task TagIntoAsync(long segmentId, Person p)
    {
        var tagId = await Api.ScalarAsync<long>(
            "SELECT CAST(JSON_EXTRACT(rule, '$.value[0]') AS SIGNED) FROM audience_segments WHERE id = @segmentId", new { segmentId });
        using var admin = Api.CreateAdminClient();
        var tagged = await admin.PostAsJsonAsync($"/admin/members/{p.MemberId}/tags", new { tagId });
        Assert.That((int)tagged.StatusCode, Is.LessThan(300), await tagged.Content.ReadAsStringAsync());
    }

    /// <summary>Creates a campaign from a raw body (the test decides every field); returns the response and its JSON.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> CreateAsync(object body)
    {
        using var admin = Api.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/admin/campaigns", body);
        return (response.StatusCode, await ReadAsync(response));
    }

    /// <summary>POSTs an action (start, pause, resume, cancel) and returns the campaign as it is afterwards.</summary>
    public static async Task<JsonElement> ActAsync(long campaignId, string action)
    {
        using var admin = Api.CreateAdminClient();
        var response = await admin.PostAsync($"/admin/campaigns/{campaignId}/{action}", null);
        var body = await ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        return body;
    }

    /// <summary>Creates and starts a campaign to the segment; returns its id.</summary>
    public static async Task<long> StartCampaignAsync(long segmentId, string[] channels, int? attributionDays = null)
    {
        using var admin = Api.CreateAdminClient();
        var sync = await admin.PostAsync("/admin/campaigns/templates/sync", null);
        Assert.That(sync.StatusCode, Is.EqualTo(HttpStatusCode.OK), await sync.Content.ReadAsStringAsync());
        var created = await admin.PostAsJsonAsync("/admin/campaigns", new { name = "year end", segmentId, channels, content = TemplateContent, attributionDays });
        var body = await ReadAsync(created);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToString());
        var id = body.GetProperty("id").GetInt64();
        var started = await admin.PostAsync($"/admin/campaigns/{id}/start", null);
        Assert.That(started.StatusCode, Is.EqualTo(HttpStatusCode.OK), await started.Content.ReadAsStringAsync());
        return id;
    }

    public static async Task<string> WaitForStatusAsync(long campaignId, string status, int timeoutMs = 30_000) =>
        await Eventually.MatchAsync(() => Api.ScalarAsync<string>("SELECT status FROM campaigns WHERE id = @campaignId", new { campaignId }),
            s => s == status, timeoutMs);

    public static async Task<JsonElement> ResultsAsync(long campaignId)
    {
        using var admin = Api.CreateAdminClient();
        var response = await admin.GetAsync($"/admin/campaigns/{campaignId}/results");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync(response);
    }

    /// <summary>What the sandbox delivered to this openid, of this kind.</summary>
    public static async Task<JsonElement[]> DeliveredAsync(string openId, string kind) =>
        (await Sandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/messages?openid={Uri.EscapeDataString(openId)}&kind={kind}"))!;

    /// <summary>Calls the app made to this sandbox route whose body names this openid (every attempt, also ones WeChat de-duplicated).</summary>
    public static async Task<int> CallsToAsync(string route, string openId) =>
        (await Sandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/calls?route={Uri.EscapeDataString(route)}"))!
            .Count(c => c.GetProperty("body").GetString()!.Contains(openId, StringComparison.Ordinal));

    public static async Task FaultAsync(object fault)
    {
        var r = await Sandbox.Client.PostAsJsonAsync("/sandbox/faults", fault);
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), await r.Content.ReadAsStringAsync());
    }

    /// <summary>A product of one SKU at <paramref name="priceFen"/>; returns the SKU id.</summary>
    public static async Task<long> NewSkuAsync(long priceFen)
    {
        using var admin = Api.CreateAdminClient();
        var category = await CatalogTestData.NewCategoryAsync(admin);
        var product = await CatalogTestData.NewProductAsync(admin, CatalogTestData.Product(category, CatalogTestData.Unique("p"), true,
            CatalogTestData.Sku("plain", "M", priceFen, 1_000)));
        return product.GetProperty("skus")[0].GetProperty("id").GetInt64();
    }

    /// <summary>Places and pays (through the sandbox's WeChat Pay) an order of one unit.</summary>
    public static async Task BuyAsync(Person p, long skuId)
    {
        var address = await ReadAsync(await p.Client.PostAsJsonAsync("/api/me/addresses", new
        {
            recipient = "王五", phone = "13912345678", province = "浙江省", city = "杭州市", district = "西湖区", detail = "龙井路 1 号",
        }));
        var placed = await p.Client.PostAsJsonAsync("/api/orders", new { lines = new[] { new { skuId, quantity = 1 } }, addressId = address.GetProperty("id").GetInt64() });
        var order = await ReadAsync(placed);
        Assert.That(placed.StatusCode, Is.EqualTo(HttpStatusCode.Created), order.ToString());
        var orderNo = order.GetProperty("orderNo").GetString()!;
        var prepay = await p.Client.PostAsync($"/api/orders/{orderNo}/pay", null);
        Assert.That(prepay.StatusCode, Is.EqualTo(HttpStatusCode.OK), await prepay.Content.ReadAsStringAsync());
        var paid = await Sandbox.Client.PostAsync($"/sandbox/pay/{orderNo}/pay", null);
        Assert.That(paid.StatusCode, Is.EqualTo(HttpStatusCode.OK), await paid.Content.ReadAsStringAsync());
        var status = await Eventually.MatchAsync(() => Api.ScalarAsync<string>("SELECT status FROM orders WHERE order_no = @orderNo", new { orderNo }),
            s => s == "paid", 15_000);
        Assert.That(status, Is.EqualTo("paid"));
    }

    static async Task Act(string path, object body)
    {
        var response = await Sandbox.Client.PostAsJsonAsync(path, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static string Invariant(long n) => n.ToString(CultureInfo.InvariantCulture);
}
