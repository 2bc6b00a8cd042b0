using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WeChatMall.Api.Tests.TestHost;
using static Microsoft.Playwright.Assertions;
using static WeChatMall.Browser.Tests.Console.ConsoleEnvironment;

namespace WeChatMall.Browser.Tests.Console;

/// <summary>The journeys pages and the member page's subscribe credits, against the real API.</summary>
public sealed class ConsoleJourneyTests
{
    static async Task PickAsync(IPage page, string select, string option)
    {
        await page.Locator(select).ClickAsync();
        await page.Locator(".el-select-dropdown__item:visible", new() { HasText = option }).First.ClickAsync();
    }

    [Test]
    public async Task Journey_MadeInTheConsole_IsInTheApi_AndAStepTheApiRefusesIsShownOnTheForm()
    {
        var name = "首单关怀 " + Guid.NewGuid().ToString("N")[..6];
        var page = await SignedInAsync(await NewOperatorAsync("marketer"));
        await page.ClickAsync("[data-nav=journeys]");
        await page.ClickAsync("[data-test=new-journey]");
        var form = page.Locator("[data-test=journey-form]");
        await form.Locator("input[name=journeyName]").FillAsync(name);
        await PickAsync(page, "[data-test=journey-trigger]", "首单支付");
        await page.Locator("[data-test=journey-goal] label", new() { HasText = "购买后退出旅程" }).ClickAsync();
        // Step 1 (a send by customer-service text, the form's default), step 2 a wait of 3 days, step 3 points.
        await form.Locator("[data-test=step-0] textarea[data-test=message-text]").FillAsync("{nickname}，感谢首单！");
        await form.Locator("[data-test=add-step]").ClickAsync();
        await form.Locator("[data-test=step-1] [data-test=step-days] input").FillAsync("3");
        await page.Keyboard.PressAsync("Tab");
        await form.Locator("[data-test=add-step]").ClickAsync();
        await PickAsync(page, "[data-test=step-2] [data-test=step-type]", "发放积分");

        // No points yet: the API refuses the third step, and the form names it with the API's code.
        await form.Locator("[data-test=save-journey]").ClickAsync();
        await Expect(form.Locator("[data-test=journey-errors]")).ToContainTextAsync("JOURNEY_POINTS_INVALID");
        await Expect(form.Locator("[data-test=journey-errors]")).ToContainTextAsync("第 3 步");
        await Expect(form.Locator("[data-test=step-2]")).ToHaveAttributeAsync("data-problem", "true");
        await form.Locator("[data-test=step-2] [data-test=step-points] input").FillAsync("50");
        await page.Keyboard.PressAsync("Tab");
        await form.Locator("[data-test=save-journey]").ClickAsync();

        await Expect(page.Locator("[data-test=journey-title]")).ToHaveTextAsync(name);
        await Expect(page.Locator("[data-test=journey-status]")).ToHaveAttributeAsync("data-status", "draft");
        await Expect(page).ToHaveURLAsync(new Regex(@"/console/journeys/\d+$"));
        var id = long.Parse(new Uri(page.Url).Segments[^1]);
        await page.ClickAsync("[data-test=journey-activate]");
        await Expect(page.Locator("[data-test=journey-status]")).ToHaveAttributeAsync("data-status", "active");

        using var admin = ApiServer.CreateAdminClient();
        var listed = (await JsonAsync(await admin.GetAsync("/admin/journeys"))).EnumerateArray().Single(j => j.GetProperty("id").GetInt64() == id);
        var d = listed.GetProperty("definition");
        var steps = d.GetProperty("steps").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(listed.GetProperty("name").GetString(), Is.EqualTo(name));
            Assert.That(listed.GetProperty("status").GetString(), Is.EqualTo("active"));
            Assert.That(d.GetProperty("trigger").GetProperty("type").GetString(), Is.EqualTo("first_order_paid"));
            Assert.That(d.GetProperty("goal").GetProperty("type").GetString(), Is.EqualTo("bought"));
            Assert.That(steps.Select(s => s.GetProperty("type").GetString()), Is.EqualTo(new[] { "send", "wait", "grant_points" }));
            Assert.That(steps[0].GetProperty("channels").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "text" }));
            Assert.That(steps[0].GetProperty("content").GetProperty("text").GetString(), Is.EqualTo("{nickname}，感谢首单！"));
            Assert.That(steps[1].GetProperty("days").GetInt32(), Is.EqualTo(3));
            Assert.That(steps[2].GetProperty("points").GetInt64(), Is.EqualTo(50));
        });

        // The list shows it under its status.
        await page.ClickAsync("[data-nav=journeys]");
        await Expect(page.Locator("[data-test=journeys]")).ToContainTextAsync(name);
        await PickAsync(page, "[data-test=journey-status-filter]", "草稿");
        await Expect(page.Locator("[data-test=journeys]")).Not.ToContainTextAsync(name);
        await PickAsync(page, "[data-test=journey-status-filter]", "运行中");
        await Expect(page.Locator("[data-test=journeys]")).ToContainTextAsync(name);
    }

    [Test]
    public async Task Journey_ACardStepMadeThroughTheApi_SurvivesTheConsoleForm_AndTheFormMakesCardsToo()
    {
        using var admin = ApiServer.CreateAdminClient();
        var name = "图文旅程 " + Guid.NewGuid().ToString("N")[..6];
        var id = (await JsonAsync(await admin.PostAsJsonAsync("/admin/journeys", new
        {
            name, trigger = new { type = "member_bound" },
            steps = new object[]
            {
                new
                {
                    type = "send", channels = new[] { "text" },
                    content = new { news = new { title = "{nickname}，新品到店", description = "本周上新", url = "https://shop.example.com/new", picUrl = "https://img.example.com/new.jpg" } },
                },
            },
        }))).GetProperty("id").GetInt64();

        var page = await SignedInAsync(await NewOperatorAsync("marketer"));
        await page.GotoAsync($"/console/journeys/{id}/edit");
        var form = page.Locator("[data-test=journey-form]");
        // The form shows the card as it is, not an empty text message.
        await Expect(form.Locator("[data-test=step-0] input[name=newsTitle]")).ToHaveValueAsync("{nickname}，新品到店");
        await Expect(form.Locator("[data-test=step-0] input[name=newsUrl]")).ToHaveValueAsync("https://shop.example.com/new");
        await form.Locator("input[name=journeyName]").FillAsync(name + " v2");
        // A second step made in the form: a mini-program card.
        await form.Locator("[data-test=add-step]").ClickAsync();
        await PickAsync(page, "[data-test=step-1] [data-test=step-type]", "发送消息");
        await form.Locator("[data-test=step-1] [data-test=custom-miniProgram]").ClickAsync();
        await form.Locator("[data-test=step-1] input[name=cardTitle]").FillAsync("会员专享");
        await form.Locator("[data-test=step-1] input[name=cardAppId]").FillAsync("wx0123456789abcdef");
        await form.Locator("[data-test=step-1] input[name=cardPagePath]").FillAsync("pages/member/index");
        await form.Locator("[data-test=step-1] input[name=cardThumbMediaId]").FillAsync("thumb-media-1");
        await form.Locator("[data-test=save-journey]").ClickAsync();
        await Expect(page.Locator("[data-test=journey-title]")).ToHaveTextAsync(name + " v2");

        var saved = (await JsonAsync(await admin.GetAsync("/admin/journeys"))).EnumerateArray().Single(j => j.GetProperty("id").GetInt64() == id);
        var steps = saved.GetProperty("definition").GetProperty("steps").EnumerateArray().ToList();
        var news = steps[0].GetProperty("content").GetProperty("news");
        var card = steps[1].GetProperty("content").GetProperty("miniProgram");
        Assert.Multiple(() =>
        {
            Assert.That(steps, Has.Count.EqualTo(2));
            Assert.That((news.GetProperty("title").GetString(), news.GetProperty("description").GetString(), news.GetProperty("url").GetString(), news.GetProperty("picUrl").GetString()),
                Is.EqualTo(("{nickname}，新品到店", "本周上新", "https://shop.example.com/new", "https://img.example.com/new.jpg")), "the API's card, unchanged by the form");
            Assert.That(steps[0].GetProperty("content").GetProperty("text").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That((card.GetProperty("title").GetString(), card.GetProperty("appId").GetString(), card.GetProperty("pagePath").GetString(), card.GetProperty("thumbMediaId").GetString()),
                Is.EqualTo(("会员专享", "wx0123456789abcdef", "pages/member/index", "thumb-media-1")));
            Assert.That(steps[1].GetProperty("channels").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "text" }));
        });
    }

    [Test]
    public async Task Viewer_SeesAJourney_ButCannotChangeIt()
    {
        using var admin = ApiServer.CreateAdminClient();
        var name = "只读旅程 " + Guid.NewGuid().ToString("N")[..6];
        var id = (await JsonAsync(await admin.PostAsJsonAsync("/admin/journeys", new
        {
            name, trigger = new { type = "member_bound" }, steps = new object[] { new { type = "grant_points", points = 10 } },
        }))).GetProperty("id").GetInt64();

        var page = await SignedInAsync(await NewOperatorAsync("viewer"));
        await page.ClickAsync("[data-nav=journeys]");
        await Expect(page.Locator("[data-test=journeys]")).ToContainTextAsync(name);
        await Expect(page.Locator("[data-test=new-journey]")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-test=read-only]")).ToBeVisibleAsync();
        await page.GotoAsync($"/console/journeys/{id}");
        await Expect(page.Locator("[data-test=journey-title]")).ToHaveTextAsync(name);
        await Expect(page.Locator("[data-test=journey-steps]")).ToContainTextAsync("发放积分 10");
        await Expect(page.Locator("[data-test=journey-activate]")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-test=journey-archive]")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-test=journey-edit]")).ToBeDisabledAsync();
        await page.GotoAsync($"/console/journeys/{id}/edit");
        await Expect(page.Locator("input[data-test=journey-name]")).ToHaveValueAsync(name);
        await Expect(page.Locator("[data-test=save-journey]")).ToBeDisabledAsync();

        // The same session, CSRF token and all, straight at the API: 403, and the journey is still a draft.
        var session = JsonDocument.Parse(await (await page.APIRequest.GetAsync("/admin/session")).TextAsync()).RootElement;
        var headers = new Dictionary<string, string> { ["X-CSRF-Token"] = session.GetProperty("csrfToken").GetString()! };
        var activate = await page.APIRequest.PostAsync($"/admin/journeys/{id}/activate", new() { Headers = headers });
        Assert.Multiple(async () =>
        {
            Assert.That(activate.Status, Is.EqualTo(403), await activate.TextAsync());
            Assert.That(JsonDocument.Parse(await activate.TextAsync()).RootElement.GetProperty("code").GetString(), Is.EqualTo("PERMISSION_DENIED"));
            Assert.That(await ApiServer.ScalarAsync<string>("SELECT status FROM journeys WHERE id = @id", new { id }), Is.EqualTo("draft"));
        });
    }

    [Test]
    public async Task MemberPage_ShowsASubscribeCreditAddedThroughTheApi()
    {
        // A mini-program member whose shop reports that they allowed the "活动提醒" subscribe message once.
        var code = (await JsonAsync(await WeChatSandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/codes", new { openId = "o_mp_" + Guid.NewGuid().ToString("N")[..20] })))
            .GetProperty("code").GetString();
        using var member = ApiServer.CreateClient();
        var login = await JsonAsync(await member.PostAsJsonAsync("/api/auth/login", new { code }));
        var memberId = login.GetProperty("memberId").GetInt64();
        member.DefaultRequestHeaders.Authorization = new("Bearer", login.GetProperty("token").GetString());
        await JsonAsync(await member.PostAsJsonAsync("/api/me/subscribe-results", new
        {
            requestId = "prompt-" + Guid.NewGuid().ToString("N")[..12], results = new Dictionary<string, string> { ["sub_activity_0001"] = "accept" },
        }));
        using (var admin = ApiServer.CreateAdminClient()) await JsonAsync(await admin.PostAsync("/admin/campaigns/templates/sync", null));

        var page = await SignedInAsync(await NewOperatorAsync("viewer"));
        await page.GotoAsync($"/console/members/{memberId}");
        var credits = page.Locator("[data-test=subscribe-credits]");
        await Expect(credits.Locator("[data-test=credit-balance][data-template=sub_activity_0001]")).ToHaveTextAsync("1");
        await Expect(credits).ToContainTextAsync("活动提醒");
        await Expect(credits).ToContainTextAsync("允许（商城上报）");
        await Expect(credits.Locator("[data-test=credit-balance]")).ToHaveCountAsync(1);
    }
}
