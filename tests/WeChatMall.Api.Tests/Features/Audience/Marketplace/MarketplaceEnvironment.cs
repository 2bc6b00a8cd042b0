using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MiniExcelLibs;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Audience.Marketplace;

/// <summary>The sandbox (logins, verified phones) and an API instance for the marketplace tests: loyalty counting on, 3 failed claims per window.</summary>
[SetUpFixture]
public sealed class MarketplaceEnvironment
{
    public const int ClaimFailures = 3;
    public static SandboxHost Sandbox { get; private set; } = null!;
    public static ApiFactory Api { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Sandbox = await SandboxHost.StartAsync();
        var settings = Sandbox.ApiSettings();
        settings["Marketplace:CountTowardLoyalty"] = "true";
        settings["Marketplace:ClaimFailuresPerWindow"] = ClaimFailures.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Jobs:MetricsRollup:Enabled"] = "false";
        Api = await ApiFactory.StartAsync(settings);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await Api.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}

public sealed record Shopper(long MemberId, HttpClient Client) : IDisposable
{
    public void Dispose() => Client.Dispose();
}

public static class MarketplaceTestData
{
    public static string NewOrderNo() => Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string NewMobile() => "139" + Random.Shared.NextInt64(10_000_000, 99_999_999);

    public static async Task<Shopper> LoginAsync()
    {
        var sandbox = MarketplaceEnvironment.Sandbox.Client;
        var codeResponse = await sandbox.PostAsJsonAsync("/sandbox/miniprogram/codes", new { openId = "o_mkt_" + Guid.NewGuid().ToString("N")[..20] });
        codeResponse.EnsureSuccessStatusCode();
        var code = (await ReadAsync(codeResponse)).GetProperty("code").GetString();
        using var anonymous = MarketplaceEnvironment.Api.CreateClient();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { code });
        Assert.That((int)login.StatusCode, Is.EqualTo(200), await login.Content.ReadAsStringAsync());
        var body = await ReadAsync(login);
        var client = MarketplaceEnvironment.Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        return new Shopper(body.GetProperty("memberId").GetInt64(), client);
    }

    /// <summary>The shopper verifies a mobile number through the sandbox's getPhoneNumber.</summary>
    public static async Task BindPhoneAsync(Shopper shopper, string mobile)
    {
        var minted = await MarketplaceEnvironment.Sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/phone-codes", new { purePhoneNumber = mobile, countryCode = "86" });
        minted.EnsureSuccessStatusCode();
        var response = await shopper.Client.PostAsJsonAsync("/api/me/phone", new { code = (await ReadAsync(minted)).GetProperty("code").GetString() });
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }

    public const string TmallHeader = "订单编号,买家会员名,买家实际支付金额,订单状态,收货人姓名,联系手机,订单付款时间,宝贝标题";

    public static string TmallRow(string orderNo, string phone, string amount = "128.50", string paidAt = "2025-03-01 12:00:00",
        string status = "交易成功", string nick = "tb_buyer") => $"{orderNo},{nick},{amount},{status},张三,{phone},{paidAt},铁观音 250g";

    public static Task<HttpResponseMessage> ImportCsvAsync(string platform, string csv, Encoding? encoding = null) =>
        PostFileAsync(platform, new ByteArrayContent((encoding ?? Encoding.UTF8).GetBytes(csv)), "text/csv");

    public static async Task<HttpResponseMessage> ImportXlsxAsync(string platform, IEnumerable<Dictionary<string, object?>> rows)
    {
        using var workbook = new MemoryStream();
        await workbook.SaveAsAsync(rows, excelType: ExcelType.XLSX);
        return await PostFileAsync(platform, new ByteArrayContent(workbook.ToArray()),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }

    static async Task<HttpResponseMessage> PostFileAsync(string platform, ByteArrayContent content, string type)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        using var admin = MarketplaceEnvironment.Api.CreateAdminClient();
        return await admin.PostAsync($"/admin/marketplace/imports?platform={platform}&fileName=export.csv", content);
    }

    public static async Task<JsonElement> ReportAsync(HttpResponseMessage response)
    {
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return await ReadAsync(response);
    }

    public static Task<HttpResponseMessage> ClaimAsync(Shopper shopper, string orderNo, string last4) =>
        shopper.Client.PostAsJsonAsync("/api/me/marketplace-orders/claim", new { orderNo, phoneLast4 = last4 });

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    public static string? Code(JsonElement problem) => problem.TryGetProperty("code", out var c) ? c.GetString() : null;
}
