using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WeChatMall.Api.Tests.TestHost;
using static Microsoft.Playwright.Assertions;
using static WeChatMall.Browser.Tests.Console.ConsoleEnvironment;

namespace WeChatMall.Browser.Tests.Console;

/// <summary>The console's acceptance paths in headless Chromium, against the real API, MariaDB, Redis and the sandbox.</summary>
public sealed class ConsoleAcceptanceTests
{
    [Test]
    public async Task AutoReply_CreatedInTheConsole_AnswersASandboxFollower()
    {
        var keyword = "营业时间" + Guid.NewGuid().ToString("N")[..4];
        const string reply = "每天 9:00–21:00 营业，欢迎光临！";
        var page = await SignedInAsync(await NewOperatorAsync("operator"));
        await page.ClickAsync("[data-nav=auto-replies]");
        await page.ClickAsync("[data-test=new-rule]");
        await page.FillAsync("[data-test=rule-form] input[name=name]", "营业时间");
        await page.FillAsync("[data-test=rule-form] input[name=pattern]", keyword);
        await page.FillAsync("[data-test=rule-form] textarea[name=reply0]", reply);
        await page.ClickAsync("[data-test=save-rule]");
        await Expect(page.Locator("[data-test=rules]")).ToContainTextAsync(keyword);

        // The console's own "test this message" box answers from the same rules.
        await page.FillAsync("input[data-test=test-text]", keyword);
        await page.ClickAsync("[data-test=test-run]");
        await Expect(page.Locator("[data-test=test-answer]")).ToContainTextAsync(reply);

        // A follower in the sandbox sends the keyword: WeChat → callback → the rule's reply.
        var follower = await page.Context.NewPageAsync();
        await follower.GotoAsync(WeChatSandbox.BaseUrl + "/");
        await follower.FillAsync("#newFollower", WeChatTestAccount.NewOpenId());
        await follower.ClickAsync("#subscribe");
        await follower.FillAsync("#text", keyword);
        await follower.ClickAsync("#sendButton");
        await Expect(follower.Locator(".msg.oa").Last).ToHaveTextAsync(reply);
    }

    [Test]
    public async Task Product_CreatedInTheConsole_IsInTheCatalogApi()
    {
        var title = "碧螺春 " + Guid.NewGuid().ToString("N")[..6];
        using (var admin = ApiServer.CreateAdminClient())
            await JsonAsync(await admin.PostAsJsonAsync("/admin/catalog/categories", new { name = "绿茶", sort = 0 }));
        var page = await SignedInAsync(await NewOperatorAsync("manager"));
        await page.ClickAsync("[data-nav=catalog]");
        await page.ClickAsync("[data-test=new-product]");
        await page.FillAsync("[data-test=product-form] input[name=title]", title);
        await page.FillAsync("[data-test=price] input", "68.50");
        await page.FillAsync("[data-test=stock] input", "30");
        await page.ClickAsync("[data-test=save-product]");
        await Expect(page.Locator("[data-test=products]")).ToContainTextAsync(title);

        using var shopper = ApiServer.CreateClient();
        var found = await JsonAsync(await shopper.GetAsync($"/api/catalog/products?Q={Uri.EscapeDataString(title)}"));
        var product = found.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("title").GetString() == title);
        Assert.That(product.GetProperty("minPriceFen").GetInt64(), Is.EqualTo(6_850));
    }

    [Test]
    public async Task PaidOrder_IsShippedThenRefundedFromTheConsole()
    {
        var orderNo = await ConsoleShop.PaidOrderAsync(priceFen: 8_800);
        var page = await SignedInAsync(await NewOperatorAsync("manager"));
        await page.ClickAsync("[data-nav=orders]");
        await page.FillAsync("input[data-test=order-no]", orderNo);
        await page.ClickAsync("[data-test=search]");
        await page.ClickAsync($"text={orderNo}");
        await Expect(page.Locator("[data-test=order-status]")).ToHaveTextAsync("待发货");

        await page.ClickAsync("[data-test=ship]");
        await page.FillAsync("input[name=carrier]", "顺丰速运");
        await page.FillAsync("input[name=trackingNo]", "SF1234567890");
        await page.ClickAsync("[data-test=confirm-ship]");
        await Expect(page.Locator("[data-test=order-status]")).ToHaveTextAsync("已发货");
        Assert.That(await ApiServer.ScalarAsync<string>("SELECT tracking_no FROM orders WHERE order_no = @orderNo", new { orderNo }), Is.EqualTo("SF1234567890"));

        await page.ClickAsync("[data-test=refund]");
        await page.FillAsync("input[name=reason]", "顾客退货");
        await page.ClickAsync("[data-test=confirm-refund]");
        var state = await Eventually.MatchAsync(
            () => ApiServer.ScalarAsync<string>("SELECT refund_state FROM orders WHERE order_no = @orderNo", new { orderNo }), s => s == "refunded", 20_000);
        Assert.That(state, Is.EqualTo("refunded"));
        await page.ReloadAsync();
        await Expect(page.Locator("[data-test=refunded]")).ToHaveTextAsync("88.00");
    }

    [Test]
    public async Task Viewer_SeesDisabledButtons_AndTheApiRefusesTheirWrites()
    {
        var orderNo = await ConsoleShop.PaidOrderAsync(priceFen: 1_200, title: "白毫银针");
        var page = await SignedInAsync(await NewOperatorAsync("viewer"));

        await page.ClickAsync("[data-nav=auto-replies]");
        await Expect(page.Locator("[data-test=new-rule]")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-test=read-only]")).ToBeVisibleAsync();
        await page.ClickAsync("[data-nav=catalog]");
        await Expect(page.Locator("[data-test=new-product]")).ToBeDisabledAsync();
        await page.GotoAsync($"/console/orders/{orderNo}");
        await Expect(page.Locator("[data-test=order-status]")).ToHaveTextAsync("待发货");
        await Expect(page.Locator("[data-test=ship]")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-test=refund]")).ToBeDisabledAsync();

        // The same session, CSRF token and all, straight at the API: 403, and nothing changed.
        var session = JsonDocument.Parse(await (await page.APIRequest.GetAsync("/admin/session")).TextAsync()).RootElement;
        var headers = new Dictionary<string, string> { ["X-CSRF-Token"] = session.GetProperty("csrfToken").GetString()! };
        var rule = await page.APIRequest.PostAsync("/admin/auto-replies", new()
        {
            Headers = headers, DataObject = new { name = "x", trigger = "keyword", matchType = "exact", pattern = "x", replies = new[] { new { type = "text", content = "x" } } },
        });
        var ship = await page.APIRequest.PostAsync($"/admin/orders/{orderNo}/ship", new() { Headers = headers, DataObject = new { carrier = "x", trackingNo = "x" } });
        foreach (var r in new[] { rule, ship })
        {
            Assert.That(r.Status, Is.EqualTo(403), await r.TextAsync());
            Assert.That(JsonDocument.Parse(await r.TextAsync()).RootElement.GetProperty("code").GetString(), Is.EqualTo("PERMISSION_DENIED"));
        }
        Assert.That(await ApiServer.ScalarAsync<string>("SELECT status FROM orders WHERE order_no = @orderNo", new { orderNo }), Is.EqualTo("paid"));
    }

    [Test]
    public async Task FiveWrongPasswords_LockTheAccount()
    {
        // An instance of its own: the lockout also counts per client IP, which every test here shares (127.0.0.1).
        await using var api = await ApiFactory.StartAsync(Settings(WeChatSandbox), kestrel: true);
        var username = await NewOperatorAsync("operator", api);
        var page = await NewPageAsync(api);
        await page.FillAsync("input[name=username]", username);
        for (var i = 0; i < 5; i++)
        {
            await page.FillAsync("input[name=password]", $"wrong-password-{i}");
            await page.ClickAsync("[data-test=sign-in]");
            await Expect(page.Locator("[data-test=sign-in-error]")).ToBeVisibleAsync();
        }
        // Even the right password is refused now.
        await page.FillAsync("input[name=password]", Password);
        await page.ClickAsync("[data-test=sign-in]");
        await Expect(page.Locator("[data-test=sign-in-error]")).ToContainTextAsync("锁定");
        Assert.That(page.Url, Does.Contain("/console/sign-in"));
        var locked = await page.APIRequest.PostAsync("/admin/session", new() { DataObject = new { username, password = Password } });
        Assert.That(locked.Status, Is.EqualTo(429), await locked.TextAsync());
        Assert.That(JsonDocument.Parse(await locked.TextAsync()).RootElement.GetProperty("code").GetString(), Is.EqualTo("SIGN_IN_LOCKED"));
    }

    [Test]
    public async Task DeepLinks_AreServedTheConsole_AndAnUnbuiltConsoleSaysSo()
    {
        using var client = ApiServer.CreateClient();
        var deep = await client.GetAsync("/console/orders/WX123");
        Assert.That((int)deep.StatusCode, Is.EqualTo(200));
        Assert.That(await deep.Content.ReadAsStringAsync(), Does.Contain("<div id=\"app\">"));
        Assert.That(deep.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo("frame-ancestors 'none'"));
        var script = System.Text.RegularExpressions.Regex.Match(await deep.Content.ReadAsStringAsync(), "/console/assets/[^\"]+\\.js").Value;
        var asset = await client.GetAsync(script);
        Assert.That((int)asset.StatusCode, Is.EqualTo(200), script);
        Assert.That(asset.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/javascript"));
        Assert.That(asset.Headers.CacheControl!.ToString(), Does.Contain("immutable"));
        Assert.That((int)(await client.GetAsync("/console/assets/missing.js")).StatusCode, Is.EqualTo(404));
        var bare = await client.GetAsync("/console");
        Assert.That(bare.RequestMessage!.RequestUri!.AbsolutePath, Is.EqualTo("/console/"), "/console redirects to /console/");

        await using var unbuilt = ApiServer.StartSibling(new Dictionary<string, string?> { ["AdminConsole:StaticFilesPath"] = "/nonexistent/console" });
        using var other = unbuilt.CreateClient();
        var missing = await other.GetAsync("/console/");
        Assert.That((int)missing.StatusCode, Is.EqualTo(404));
        Assert.That((await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString(), Is.EqualTo("CONSOLE_NOT_BUILT"));
    }
}
