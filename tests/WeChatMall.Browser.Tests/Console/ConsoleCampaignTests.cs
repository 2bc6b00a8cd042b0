using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WeChatMall.Api.Tests.TestHost;
using static Microsoft.Playwright.Assertions;
using static WeChatMall.Browser.Tests.Console.ConsoleEnvironment;

namespace WeChatMall.Browser.Tests.Console;

/// <summary>The campaigns and followers pages of the console against the real API, its delivery worker and the sandbox.</summary>
public sealed class ConsoleCampaignTests
{
    /// <summary>A member known by web OAuth (an Official Account openid) who follows the account (through <paramref name="scene"/> if given).</summary>
    public static async Task<(long MemberId, string OaOpenId)> FollowingMemberAsync(string? scene = null)
    {
        var oa = NewOaOpenId();
        // Web OAuth as a phone's browser goes through it: authorize, WeChat's consent (the sandbox) as this openid, our callback.
        using (var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = ApiServer.BaseAddress })
        {
            var authorize = await browser.GetAsync($"/api/oauth/authorize?scope=userinfo&returnUrl={Uri.EscapeDataString("/shop/home")}");
            Assert.That((int)authorize.StatusCode, Is.EqualTo(302), await authorize.Content.ReadAsStringAsync());
            using var wechat = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            var consent = await wechat.GetAsync(authorize.Headers.Location!.AbsoluteUri.Replace("#wechat_redirect", "", StringComparison.Ordinal)
                + "&openid=" + Uri.EscapeDataString(oa));
            Assert.That((int)consent.StatusCode, Is.EqualTo(302), await consent.Content.ReadAsStringAsync());
            var callback = await browser.GetAsync(consent.Headers.Location!.PathAndQuery);
            Assert.That((int)callback.StatusCode, Is.EqualTo(302), await callback.Content.ReadAsStringAsync());
        }
        (await WeChatSandbox.Client.PostAsJsonAsync($"/sandbox/followers/{oa}/subscribe", new { scene })).EnsureSuccessStatusCode();
        var memberId = await Eventually.MatchAsync(() => ApiServer.ScalarAsync<long>(
            "SELECT member_id FROM member_identities WHERE kind = 'oa_openid' AND value = @oa", new { oa }), id => id > 0, 15_000);
        var following = await Eventually.MatchAsync(() => ApiServer.ScalarAsync<long>(
            "SELECT COUNT(*) FROM member_stats WHERE member_id = @memberId AND following = TRUE", new { memberId }), n => n == 1, 15_000);
        Assert.That((memberId > 0, following), Is.EqualTo((true, 1L)), $"the member of {oa} follows");
        return (memberId, oa);
    }

    /// <summary>A member of the mini-program only: no Official Account openid, so the template channel cannot reach them.</summary>
    static async Task<long> MiniProgramMemberAsync()
    {
        var code = (await JsonAsync(await WeChatSandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/codes", new { openId = "o_mp_" + Guid.NewGuid().ToString("N")[..20] })))
            .GetProperty("code").GetString();
        using var anonymous = ApiServer.CreateClient();
        return (await JsonAsync(await anonymous.PostAsJsonAsync("/api/auth/login", new { code }))).GetProperty("memberId").GetInt64();
    }

    /// <summary>A saved segment of exactly these members (a manual tag); returns its name.</summary>
    public static async Task<string> SegmentOfAsync(params long[] members)
    {
        using var admin = ApiServer.CreateAdminClient();
        var name = "活动人群 " + Guid.NewGuid().ToString("N")[..6];
        var tagId = (await JsonAsync(await admin.PostAsJsonAsync("/admin/tags", new { name = "t-" + name }))).GetProperty("id").GetInt64();
        foreach (var m in members)
        {
            var tagged = await admin.PostAsJsonAsync($"/admin/members/{m}/tags", new { tagId });
            Assert.That((int)tagged.StatusCode, Is.LessThan(300), await tagged.Content.ReadAsStringAsync());
        }
        await JsonAsync(await admin.PostAsJsonAsync("/admin/segments", new { name, rule = new { field = "tag", op = "in", value = new[] { tagId } } }));
        return name;
    }

    static async Task PickAsync(IPage page, string select, string option)
    {
        await page.Locator(select).ClickAsync();
        await page.Locator(".el-select-dropdown__item:visible", new() { HasText = option }).First.ClickAsync();
    }

    [Test]
    public async Task Campaign_MadeOverASegmentInTheConsole_IsStarted_AndItsResultsCountTheSandboxDeliveries()
    {
        var a = await FollowingMemberAsync();
        var b = await FollowingMemberAsync();
        var mpOnly = await MiniProgramMemberAsync();
        var segment = await SegmentOfAsync(a.MemberId, b.MemberId, mpOnly);
        var name = "会员日 " + Guid.NewGuid().ToString("N")[..6];

        var page = await SignedInAsync(await NewOperatorAsync("marketer"));
        await page.ClickAsync("[data-nav=campaigns]");
        await page.ClickAsync("#tab-templates");
        await page.ClickAsync("[data-test=sync-templates]");
        await Expect(page.Locator("[data-test=templates]")).ToContainTextAsync("tmpl_points_expiring_01");
        await page.ClickAsync("#tab-campaigns");
        await page.ClickAsync("[data-test=new-campaign]");
        var dialog = page.Locator("[data-test=campaign-dialog]");
        await dialog.Locator("input[name=campaignName]").FillAsync(name);
        await PickAsync(page, "[data-test=campaign-segment]", segment);
        await PickAsync(page, "[data-test=campaign-channels]", "公众号模板消息");
        await page.Keyboard.PressAsync("Escape"); // closes the multi-select's list, not the dialog
        await PickAsync(page, "[data-test=campaign-template]", "tmpl_points_expiring_01");
        await dialog.Locator("input[data-field=thing1]").FillAsync("{nickname}会员，您的积分即将到期，请尽快使用哦");
        await dialog.Locator("input[data-field=number2]").FillAsync("{points}");
        await dialog.Locator("input[data-field=date3]").FillAsync("2026-12-31");

        // WeChat's 20-character limit of a template value: the API refuses, and the form shows its reasons.
        await dialog.Locator("[data-test=save-campaign]").ClickAsync();
        await Expect(dialog.Locator("[data-test=campaign-errors]")).ToContainTextAsync("template.thing1");
        await dialog.Locator("input[data-field=thing1]").FillAsync("{nickname}会员");
        await dialog.Locator("[data-test=save-campaign]").ClickAsync();

        var detail = page.Locator("[data-test=campaign-detail]");
        await Expect(detail).ToContainTextAsync(name);
        await Expect(page.Locator("[data-test=campaign-status]")).ToHaveAttributeAsync("data-status", "draft");
        await page.ClickAsync("[data-test=campaign-start]");
        // The page refreshes itself while the worker sends: nobody reloads it.
        await Expect(page.Locator("[data-test=campaign-status]")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 60_000 });
        await Expect(page.Locator("[data-test=result-targeted]")).ToContainTextAsync("3");
        await Expect(page.Locator("[data-test=result-sent]")).ToContainTextAsync("2");
        await Expect(page.Locator("[data-test=result-channels]")).ToContainTextAsync("公众号模板消息");
        await Expect(page.Locator("[data-test=result-skipped]")).ToContainTextAsync("no_openid");

        foreach (var (_, oa) in new[] { a, b })
        {
            var delivered = (await WeChatSandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/messages?openid={oa}&kind=template"))!;
            Assert.That(delivered, Has.Length.EqualTo(1), $"one template message to {oa}");
        }
        var id = await ApiServer.ScalarAsync<long>("SELECT id FROM campaigns WHERE name = @name", new { name });
        using var admin = ApiServer.CreateAdminClient();
        var results = await JsonAsync(await admin.GetAsync($"/admin/campaigns/{id}/results"));
        Assert.Multiple(() =>
        {
            Assert.That(results.GetProperty("sent").GetInt64(), Is.EqualTo(2));
            Assert.That(results.GetProperty("skipped").GetProperty("no_openid").GetInt64(), Is.EqualTo(1));
        });

        // The list shows it, and the status filter keeps it under "completed" and out of "draft".
        await page.ClickAsync("[data-nav=campaigns]");
        await Expect(page.Locator("[data-test=campaigns]")).ToContainTextAsync(name);
        await PickAsync(page, "[data-test=campaign-status-filter]", "草稿");
        await Expect(page.Locator("[data-test=campaigns]")).Not.ToContainTextAsync(name);
        await PickAsync(page, "[data-test=campaign-status-filter]", "已完成");
        await Expect(page.Locator("[data-test=campaigns]")).ToContainTextAsync(name);
    }

    [Test]
    public async Task Viewer_SeesCampaigns_ButCannotChangeThem()
    {
        var member = await MiniProgramMemberAsync();
        var segment = await SegmentOfAsync(member);
        using var admin = ApiServer.CreateAdminClient();
        var segmentId = await ApiServer.ScalarAsync<long>("SELECT id FROM audience_segments WHERE name = @segment", new { segment });
        (await admin.PostAsync("/admin/campaigns/templates/sync", null)).EnsureSuccessStatusCode();
        var name = "只读 " + Guid.NewGuid().ToString("N")[..6];
        var created = await JsonAsync(await admin.PostAsJsonAsync("/admin/campaigns", new
        {
            name, segmentId, channels = new[] { "text" }, content = new { text = "{nickname}，新品到店" },
        }));
        var id = created.GetProperty("id").GetInt64();

        var page = await SignedInAsync(await NewOperatorAsync("viewer"));
        await page.ClickAsync("[data-nav=campaigns]");
        await Expect(page.Locator("[data-test=new-campaign]")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-test=read-only]")).ToBeVisibleAsync();
        await page.ClickAsync("#tab-templates");
        await Expect(page.Locator("[data-test=sync-templates]")).ToBeDisabledAsync();
        await page.GotoAsync($"/console/campaigns/{id}");
        await Expect(page.Locator("[data-test=campaign-detail]")).ToContainTextAsync(name);
        await Expect(page.Locator("[data-test=campaign-start]")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-test=campaign-cancel]")).ToBeDisabledAsync();

        // The same session, CSRF token and all, straight at the API: 403, and the campaign is still a draft.
        var session = JsonDocument.Parse(await (await page.APIRequest.GetAsync("/admin/session")).TextAsync()).RootElement;
        var headers = new Dictionary<string, string> { ["X-CSRF-Token"] = session.GetProperty("csrfToken").GetString()! };
        var start = await page.APIRequest.PostAsync($"/admin/campaigns/{id}/start", new() { Headers = headers });
        Assert.Multiple(async () =>
        {
            Assert.That(start.Status, Is.EqualTo(403), await start.TextAsync());
            Assert.That(JsonDocument.Parse(await start.TextAsync()).RootElement.GetProperty("code").GetString(), Is.EqualTo("PERMISSION_DENIED"));
            Assert.That(await ApiServer.ScalarAsync<string>("SELECT status FROM campaigns WHERE id = @id", new { id }), Is.EqualTo("draft"));
        });
    }

    [Test]
    public async Task Followers_ListsTheSandboxFollowers_FilteredByQrScene_WithTheirMember()
    {
        var scene = "fl-" + Guid.NewGuid().ToString("N")[..10];
        using (var admin = ApiServer.CreateAdminClient())
            await JsonAsync(await admin.PostAsJsonAsync("/admin/channels", new { name = "门店 " + scene[3..7], kind = "store", scene, permanent = true }));
        var bound = await FollowingMemberAsync(scene);
        var other = NewOaOpenId();
        (await WeChatSandbox.Client.PostAsJsonAsync($"/sandbox/followers/{other}/subscribe", new { scene })).EnsureSuccessStatusCode();
        var elsewhere = NewOaOpenId();
        (await WeChatSandbox.Client.PostAsJsonAsync($"/sandbox/followers/{elsewhere}/subscribe", new { })).EnsureSuccessStatusCode();
        await Eventually.MatchAsync(() => ApiServer.ScalarAsync<long>("SELECT COUNT(*) FROM followers WHERE openid IN (@other, @elsewhere)", new { other, elsewhere }),
            n => n == 2, 15_000);

        var page = await SignedInAsync(await NewOperatorAsync("operator"));
        await page.ClickAsync("[data-nav=followers]");
        await Expect(page.Locator("[data-test=followers]")).ToContainTextAsync(elsewhere);
        await PickAsync(page, "[data-test=follower-channel]", scene);
        await page.ClickAsync("[data-test=follower-search]");
        var rows = page.Locator("[data-test=followers] .el-table__row");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-test=followers]")).Not.ToContainTextAsync(elsewhere);
        await Expect(rows.Nth(0)).ToContainTextAsync(other);
        await Expect(rows.Nth(1)).ToContainTextAsync(bound.OaOpenId);
        await Expect(rows.Nth(1).Locator("[data-test=follower-member]")).ToHaveTextAsync(bound.MemberId.ToString());
        await rows.Nth(1).Locator("[data-test=follower-member]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/console/members/{bound.MemberId}$"));
    }

    static string NewOaOpenId() => "o_oa_" + Guid.NewGuid().ToString("N")[..20];
}
