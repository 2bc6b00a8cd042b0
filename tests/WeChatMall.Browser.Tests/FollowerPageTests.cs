using System.Net.Http.Json;
using Microsoft.Playwright;
using WeChatMall.Api.Tests.TestHost;
using static Microsoft.Playwright.Assertions;

namespace WeChatMall.Browser.Tests;

/// <summary>
/// The acceptance path in a real (headless) browser: the follower page of the sandbox, delivering to the API on
/// Kestrel in safe mode. Subscribe shows the welcome reply, a keyword shows its reply; the screenshot is attached.
/// </summary>
public sealed class FollowerPageTests
{
    private const string Welcome = "Welcome to the sandbox shop!";
    private const string HelloReply = "Hi there, how can we help?";

    [Test]
    public async Task FollowerPage_SubscribeThenKeyword_ShowsTheWelcomeAndTheKeywordReply()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        await using var api = await ApiFactory.StartAsync(sandbox.ApiSettings(), kestrel: true);
        await sandbox.ConfigureAsync(callbackUrl: new Uri(api.BaseAddress, "/wechat/callback").ToString(), safeMode: true);
        using (var admin = api.CreateAdminClient())
        {
            (await admin.PostAsJsonAsync("/admin/auto-replies", new
            {
                name = "welcome", trigger = "subscribe", replies = new[] { new { type = "text", content = Welcome } },
            })).EnsureSuccessStatusCode();
            (await admin.PostAsJsonAsync("/admin/auto-replies", new
            {
                name = "hello", trigger = "keyword", matchType = "exact", pattern = "hello",
                replies = new[] { new { type = "text", content = HelloReply } },
            })).EnsureSuccessStatusCode();
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 720, Height = 760 } });
        await page.GotoAsync(sandbox.BaseUrl + "/");
        await Expect(page.Locator("#safeMode")).ToBeCheckedAsync();
        await page.FillAsync("#newFollower", WeChatTestAccount.NewOpenId());

        await page.ClickAsync("#subscribe");
        await Expect(page.Locator(".msg.oa").Last).ToHaveTextAsync(Welcome);
        await page.FillAsync("#text", "hello");
        await page.ClickAsync("#sendButton");
        await Expect(page.Locator(".msg.oa").Last).ToHaveTextAsync(HelloReply);

        var screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "follower-page.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        TestContext.AddTestAttachment(screenshot, "The follower page after subscribe and 'hello'");
        Assert.That(await page.Locator(".msg.oa").AllTextContentsAsync(), Is.EqualTo(new[] { Welcome, HelloReply }));
    }
}
