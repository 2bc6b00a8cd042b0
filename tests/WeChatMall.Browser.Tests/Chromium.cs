using Microsoft.Playwright;

namespace WeChatMall.Browser.Tests;

/// <summary>Debian's chromium, not a downloaded one. If it cannot start, the test fails and says how to fix it.</summary>
public static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        if (!File.Exists(Path)) Assert.Fail($"{Path} is missing: install it with `apt-get install -y chromium` (scripts/test.sh does).");
        try
        {
            return await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = Path,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
            });
        }
        catch (PlaywrightException e)
        {
            Assert.Fail($"Chromium at {Path} could not start: {e.Message}");
            throw;
        }
    }
}
