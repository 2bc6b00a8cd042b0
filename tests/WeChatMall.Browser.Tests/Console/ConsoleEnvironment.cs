using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Browser.Tests.Console;

/// <summary>
/// One API on Kestrel serving the built console under /console, the sandbox playing WeChat and WeChat Pay (its
/// follower page, mini-program logins, payments and refunds), Debian's Chromium, and one operator per role,
/// created with the bootstrap X-Admin-Key as a provisioning script would.
/// </summary>
[SetUpFixture]
public sealed class ConsoleEnvironment
{
    public const string Password = "correct-horse-battery-9";
    public static SandboxHost WeChatSandbox { get; private set; } = null!;
    public static ApiFactory ApiServer { get; private set; } = null!;
    public static IPlaywright Playwright { get; private set; } = null!;
    public static IBrowser Browser { get; private set; } = null!;
    public static string ConsoleUrl => new Uri(ApiServer.BaseAddress, "/console/").ToString();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var dist = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "../../../../../src/WeChatMall.Console/dist/index.html"));
        if (!File.Exists(dist))
            Assert.Fail($"The console is not built ({dist} is missing): run `npm ci && npm run build` in src/WeChatMall.Console (scripts/test.sh does).");
        WeChatSandbox = await SandboxHost.StartAsync();
        ApiServer = await ApiFactory.StartAsync(Settings(WeChatSandbox), kestrel: true);
        // The notify URLs need the port Kestrel picked; WeChat Pay options are bound on first use, which is after this.
        var config = ApiServer.Services.GetRequiredService<IConfiguration>();
        config["WeChatPay:NotifyUrl"] = new Uri(ApiServer.BaseAddress, "/pay/notify").ToString();
        config["WeChatPay:RefundNotifyUrl"] = new Uri(ApiServer.BaseAddress, "/pay/refund-notify").ToString();
        await WeChatSandbox.ConfigureAsync(callbackUrl: new Uri(ApiServer.BaseAddress, "/wechat/callback").ToString(), safeMode: true);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(Playwright);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await ApiServer.DisposeAsync();
        await WeChatSandbox.DisposeAsync();
    }

    /// <summary>The settings of the console's API: paying through <paramref name="sandbox"/>, cheap password hashes.</summary>
    public static Dictionary<string, string?> Settings(SandboxHost sandbox)
    {
        var s = sandbox.ApiSettings();
        s["Operators:PasswordWorkFactor"] = "4";
        s["WeChatPay:MchId"] = SandboxHost.MchId;
        s["WeChatPay:ApiV3Key"] = SandboxHost.ApiV3Key;
        s["WeChatPay:MerchantSerialNo"] = SandboxHost.MerchantSerial;
        s["WeChatPay:MerchantPrivateKeyPath"] = sandbox.MerchantPrivateKeyPath;
        s["WeChatPay:PlatformPublicKeyId"] = SandboxHost.PlatformKeyId;
        s["WeChatPay:PlatformPublicKeyPath"] = sandbox.PlatformPublicKeyPath;
        s["WeChatPay:NotifyUrl"] = "http://127.0.0.1:9/pay/notify";
        s["WeChatPay:RefundNotifyUrl"] = "http://127.0.0.1:9/pay/refund-notify";
        s["WeChatPay:ApiBaseUrl"] = sandbox.BaseUrl;
        s["Outbox:Enabled"] = "true";
        s["Outbox:PollIntervalMs"] = "100";
        s["Jobs:PaymentReconciliation:Enabled"] = "false";
        return s;
    }

    /// <summary>A new operator with <paramref name="role"/> (owner, manager, operator, marketer, viewer); returns the username.</summary>
    public static async Task<string> NewOperatorAsync(string role, ApiFactory? api = null)
    {
        var username = $"{role}-{Guid.NewGuid():N}"[..(role.Length + 9)];
        using var admin = (api ?? ApiServer).CreateAdminClient();
        var r = await admin.PostAsJsonAsync("/admin/operators", new { username, displayName = $"测试{role}", role, password = Password });
        Assert.That((int)r.StatusCode, Is.EqualTo(201), await r.Content.ReadAsStringAsync());
        return username;
    }

    /// <summary>A fresh browser context (its own cookies) with the console open on the sign-in page.</summary>
    public static async Task<IPage> NewPageAsync(ApiFactory? api = null)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = (api ?? ApiServer).BaseAddress.ToString(), ViewportSize = new() { Width = 1440, Height = 900 }, Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        // The page's own errors go to the test output: a blank page then says why.
        page.PageError += (_, e) => TestContext.Progress.WriteLine($"[console page error] {e}");
        page.Console += (_, m) => { if (m.Type == "error") TestContext.Progress.WriteLine($"[console error] {m.Text}"); };
        await page.GotoAsync("/console/sign-in");
        return page;
    }

    /// <summary>Signs in through the sign-in page and waits for the dashboard.</summary>
    public static async Task<IPage> SignedInAsync(string username)
    {
        var page = await NewPageAsync();
        await page.FillAsync("input[name=username]", username);
        await page.FillAsync("input[name=password]", Password);
        await page.ClickAsync("[data-test=sign-in]");
        await Assertions.Expect(page.Locator("[data-test=operator]")).ToContainTextAsync(username[..3]);
        return page;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    // Debian's chromium, not a downloaded one. If it cannot start, the test fails and says how to fix it.
    static async Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        const string path = "/usr/bin/chromium";
        if (!File.Exists(path)) Assert.Fail($"{path} is missing: install it with `apt-get install -y chromium` (scripts/test.sh does).");
        return await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        });
    }
}
