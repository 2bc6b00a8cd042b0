using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.WeChat.Tests.Pay;

// Builds the client the way an app would: AddWeChatPay over a configuration section, keys in PEM files.
sealed class PayClientHarness : IDisposable
{
    public const string MchId = "1230000109";
    public const string AppId = "wxd678efh567hg6787";
    public const string MerchantSerial = "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C";

    readonly string _dir = Directory.CreateTempSubdirectory("wechatpay-test").FullName;

    public PayClientHarness(PayStub stub, Action<Dictionary<string, string?>>? edit = null)
    {
        MerchantKey = RSA.Create(2048);
        File.WriteAllText(Path.Combine(_dir, "merchant.pem"), MerchantKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(_dir, "platform.pem"), stub.PlatformKey.ExportSubjectPublicKeyInfoPem());
        var settings = new Dictionary<string, string?>
        {
            ["WeChatPay:MchId"] = MchId,
            ["WeChatPay:ApiV3Key"] = "abcdefghijklmnopqrstuvwxyz012345",
            ["WeChatPay:MerchantSerialNo"] = MerchantSerial,
            ["WeChatPay:MerchantPrivateKeyPath"] = Path.Combine(_dir, "merchant.pem"),
            ["WeChatPay:PlatformPublicKeyId"] = PayStub.PublicKeyId,
            ["WeChatPay:PlatformPublicKeyPath"] = Path.Combine(_dir, "platform.pem"),
            ["WeChatPay:NotifyUrl"] = "https://mall.example.com/pay/notify",
            ["WeChatPay:RefundNotifyUrl"] = "https://mall.example.com/pay/refund-notify",
            ["WeChatPay:ApiBaseUrl"] = stub.BaseUrl,
            ["WeChatPay:AppId"] = AppId,
            ["WeChatPay:RetryBaseDelay"] = "00:00:00.010",
        };
        edit?.Invoke(settings);
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        Services = new ServiceCollection().AddSingleton<IConfiguration>(config)
            .AddWeChatPay(config.GetSection("WeChatPay")).BuildServiceProvider();
    }

    public RSA MerchantKey { get; }
    public ServiceProvider Services { get; }
    public WeChatPayClient Client => Services.GetRequiredService<WeChatPayClient>();

    public void Dispose()
    {
        Services.Dispose();
        MerchantKey.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
