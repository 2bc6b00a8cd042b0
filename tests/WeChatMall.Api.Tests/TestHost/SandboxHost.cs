using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Sandbox;

namespace WeChatMall.Api.Tests.TestHost;

/// <summary>
/// The WeChat sandbox on a free loopback port, configured for <see cref="WeChatTestAccount"/> and a test merchant
/// whose keys are generated per instance (or given, e.g. the spec's test key).
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    public const string OaSecret = "test-secret";
    public const string MiniProgramAppId = "wxtestmini000001";
    public const string MiniProgramSecret = "test-mini-secret";
    public const string MchId = "1230000109";
    public const string MerchantSerial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
    public const string ApiV3Key = "abcdefghijklmnopqrstuvwxyz012345";
    public const string PlatformKeyId = "PUB_KEY_ID_0112233445566778899AABBCCDDEEFF00";

    private readonly WebApplication app;
    private readonly string keyDir;

    private SandboxHost(WebApplication app, string keyDir)
    {
        this.app = app;
        this.keyDir = keyDir;
        BaseAddress = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public Uri BaseAddress { get; }
    public string BaseUrl => BaseAddress.ToString().TrimEnd('/');
    public HttpClient Client { get; }
    public IServiceProvider Services => app.Services;
    /// <summary>The merchant's private key (PKCS#8), for the app side's WeChatPay:MerchantPrivateKeyPath.</summary>
    public string MerchantPrivateKeyPath => Path.Combine(keyDir, "merchant.key.pem");
    /// <summary>The sandbox platform's public key, for the app side's WeChatPay:PlatformPublicKeyPath.</summary>
    public string PlatformPublicKeyPath => Path.Combine(keyDir, "platform.pub.pem");

    /// <param name="merchantPublicKeyPem">The merchant key the sandbox trusts; a fresh pair when null.</param>
    public static async Task<SandboxHost> StartAsync(
        IDictionary<string, string?>? extra = null, TimeProvider? time = null, string? merchantPublicKeyPem = null)
    {
        var keyDir = Directory.CreateTempSubdirectory("wcm-sandbox-test").FullName;
        using (var merchant = RSA.Create(2048))
        {
            File.WriteAllText(Path.Combine(keyDir, "merchant.key.pem"), merchant.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(Path.Combine(keyDir, "merchant.pub.pem"), merchantPublicKeyPem ?? merchant.ExportSubjectPublicKeyInfoPem());
        }
        using (var platform = RSA.Create(2048))
        {
            File.WriteAllText(Path.Combine(keyDir, "platform.key.pem"), platform.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(Path.Combine(keyDir, "platform.pub.pem"), platform.ExportSubjectPublicKeyInfoPem());
        }
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Sandbox:OfficialAccount:AppId"] = WeChatTestAccount.AppId,
            ["Sandbox:OfficialAccount:AppSecret"] = OaSecret,
            ["Sandbox:OfficialAccount:Token"] = WeChatTestAccount.Token,
            ["Sandbox:OfficialAccount:EncodingAESKey"] = WeChatTestAccount.EncodingAesKey,
            ["Sandbox:OfficialAccount:OriginalId"] = WeChatTestAccount.OriginalId,
            ["Sandbox:MiniProgram:AppId"] = MiniProgramAppId,
            ["Sandbox:MiniProgram:AppSecret"] = MiniProgramSecret,
            ["Sandbox:Merchant:MchId"] = MchId,
            ["Sandbox:Merchant:SerialNo"] = MerchantSerial,
            ["Sandbox:Merchant:PublicKeyPath"] = Path.Combine(keyDir, "merchant.pub.pem"),
            ["Sandbox:Merchant:ApiV3Key"] = ApiV3Key,
            ["Sandbox:Merchant:NotifyRetryScale"] = "0.001",
            ["Sandbox:Merchant:NotifyTimeoutMs"] = "3000",
            ["Sandbox:Platform:PrivateKeyPath"] = Path.Combine(keyDir, "platform.key.pem"),
            ["Sandbox:Platform:PublicKeyId"] = PlatformKeyId,
            ["Sandbox:CallbackTimeoutMs"] = "3000",
            ["Sandbox:SafeMode"] = "false",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var app = SandboxApp.Build([], b =>
        {
            b.Configuration.AddInMemoryCollection(settings);
            if (time is not null) b.Services.AddSingleton(time);
            b.WebHost.UseUrls("http://127.0.0.1:0");
        });
        await app.StartAsync();
        return new SandboxHost(app, keyDir);
    }

    /// <summary>Settings that point an API instance's WeChat clients at this sandbox.</summary>
    public Dictionary<string, string?> ApiSettings() => new()
    {
        ["WeChat:ApiBaseUrl"] = BaseUrl,
        ["WeChat:OAuthBaseUrl"] = BaseUrl,
        ["WeChat:MpBaseUrl"] = BaseUrl,
        ["WeChat:OfficialAccount:AppSecret"] = OaSecret,
        ["WeChat:MiniProgram:AppId"] = MiniProgramAppId,
        ["WeChat:MiniProgram:AppSecret"] = MiniProgramSecret,
        ["WeChat:BusyRetryDelay"] = "00:00:00.010",
    };

    public async Task ConfigureAsync(string? callbackUrl = null, bool? safeMode = null)
    {
        var response = await Client.PutAsJsonAsync("/sandbox/config", new { callbackUrl, safeMode });
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        Directory.Delete(keyDir, recursive: true);
    }
}
