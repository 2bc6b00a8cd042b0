using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeChatMall.Browser.Tests;

/// <summary>
/// The shop's browser tests' common ground: one <see cref="ShopHost"/> (API, sandbox, seed data) and one headless chromium
/// per fixture, pages at a phone's size, and screenshots into SHOP_SCREENSHOTS_DIR (scripts/shop-screenshots.sh).
/// </summary>
public abstract class ShopBrowserTest
{
    protected ShopHost shop = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        shop = await ShopHost.StartAsync();
        playwright = await Playwright.CreateAsync();
        browser = await Chromium.LaunchAsync(playwright);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        await shop.DisposeAsync();
    }

    protected async Task<IPage> PhoneAsync()
    {
        var context = await browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 390, Height = 844 }, DeviceScaleFactor = 1, IsMobile = true, HasTouch = true,
            Locale = "zh-CN", TimezoneId = "Asia/Shanghai",
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }

    protected static ILocator TestId(IPage page, string id) => page.Locator($"[data-testid={id}]:visible");

    protected static async Task FillAsync(IPage page, string id, string value) =>
        await page.Locator($"[data-testid={id}]:visible input, [data-testid={id}]:visible textarea").First.FillAsync(value);

    protected static async Task ShotAsync(IPage page, string name)
    {
        // Toasts (uni.showToast) gone and transitions settled, so the page itself is what is seen.
        await Expect(page.Locator(".uni-toast:visible, uni-toast:visible")).ToHaveCountAsync(0, new() { Timeout = 5_000 });
        await page.WaitForTimeoutAsync(300);
        var dir = Environment.GetEnvironmentVariable("SHOP_SCREENSHOTS_DIR");
        var path = Path.Combine(string.IsNullOrEmpty(dir) ? TestContext.CurrentContext.WorkDirectory : dir, $"{name}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new() { Path = path });
        TestContext.AddTestAttachment(path, name);
    }
}
