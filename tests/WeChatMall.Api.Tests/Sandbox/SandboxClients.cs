using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Tests.TestHost;
using WeChatMall.WeChat;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Api.Tests.Sandbox;

/// <summary>Our protocol library's clients, configured the way the app configures them, aimed at a sandbox.</summary>
public static class SandboxClients
{
    public static ServiceProvider WeChat(SandboxHost sandbox) =>
        new ServiceCollection().AddLogging().AddWeChat(o =>
        {
            o.ApiBaseUrl = sandbox.BaseUrl;
            o.OAuthBaseUrl = sandbox.BaseUrl;
            o.MpBaseUrl = sandbox.BaseUrl;
            o.OfficialAccount.AppId = WeChatTestAccount.AppId;
            o.OfficialAccount.AppSecret = SandboxHost.OaSecret;
            o.MiniProgram.AppId = SandboxHost.MiniProgramAppId;
            o.MiniProgram.AppSecret = SandboxHost.MiniProgramSecret;
            o.BusyRetryDelay = TimeSpan.FromMilliseconds(10);
        }).BuildServiceProvider();

    public static ServiceProvider Pay(SandboxHost sandbox, string notifyUrl, string? merchantPrivateKeyPath = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["WeChatPay:MchId"] = SandboxHost.MchId,
            ["WeChatPay:ApiV3Key"] = SandboxHost.ApiV3Key,
            ["WeChatPay:MerchantSerialNo"] = SandboxHost.MerchantSerial,
            ["WeChatPay:MerchantPrivateKeyPath"] = merchantPrivateKeyPath ?? sandbox.MerchantPrivateKeyPath,
            ["WeChatPay:PlatformPublicKeyId"] = SandboxHost.PlatformKeyId,
            ["WeChatPay:PlatformPublicKeyPath"] = sandbox.PlatformPublicKeyPath,
            ["WeChatPay:NotifyUrl"] = notifyUrl,
            ["WeChatPay:RefundNotifyUrl"] = notifyUrl,
            ["WeChatPay:ApiBaseUrl"] = sandbox.BaseUrl,
            ["WeChatPay:AppId"] = SandboxHost.MiniProgramAppId,
            ["WeChatPay:RetryBaseDelay"] = "00:00:00.010",
        };
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(config)
            .AddWeChatPay(config.GetSection(WeChatPayOptions.SectionName)).BuildServiceProvider();
    }
}
