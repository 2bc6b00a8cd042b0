using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.WeChat.Tests.Pay;

public sealed class WeChatPayOptionsTests
{
    PayStub _stub = null!;

    [OneTimeSetUp]
    public async Task StartStub() => _stub = await PayStub.StartAsync();

    [OneTimeTearDown]
    public async Task StopStub() => await _stub.DisposeAsync();

    [Test]
    public void Resolve_WithCompleteSettings_LoadsCredentialsInPublicKeyMode()
    {
        using var h = new PayClientHarness(_stub);

        var credentials = h.Services.GetRequiredService<WeChatPayCredentials>();

        Assert.That(credentials.Verifier.Serials, Is.EqualTo(new[] { PayStub.PublicKeyId }));
        Assert.That(h.Services.GetRequiredService<WeChatPayNotificationParser>(), Is.Not.Null);
    }

    [TestCase("WeChatPay:ApiV3Key", "short", "ApiV3Key", TestName = "Resolve_WithShortApiV3Key_FailsValidation")]
    [TestCase("WeChatPay:MchId", "", "MchId", TestName = "Resolve_WithoutMchId_FailsValidation")]
    [TestCase("WeChatPay:PlatformPublicKeyId", "D7CE59D1F522D701", "PUB_KEY_ID_", TestName = "Resolve_WithCertSerialAsPublicKeyId_FailsValidation")]
    [TestCase("WeChatPay:PlatformPublicKeyPath", "", "PlatformPublicKeyPath", TestName = "Resolve_WithPublicKeyIdButNoPath_FailsValidation")]
    public void Resolve_WithBadSetting_ThrowsNamingTheSetting(string key, string value, string mentioned)
    {
        using var h = new PayClientHarness(_stub, s => s[key] = value);

        var e = Assert.Throws<OptionsValidationException>(() => h.Services.GetRequiredService<WeChatPayClient>());

        Assert.That(e!.Message, Does.Contain(mentioned));
        Assert.That(e.Message, Does.Not.Contain("abcdefghijklmnopqrstuvwxyz012345"));
    }

    [Test]
    public void Resolve_WithoutAppId_FallsBackToMiniProgramAppId()
    {
        using var h = new PayClientHarness(_stub, s =>
        {
            s["WeChatPay:AppId"] = null;
            s["WeChat:MiniProgram:AppId"] = "wxminiprogram000001";
        });

        Assert.That(h.Services.GetRequiredService<IOptions<WeChatPayOptions>>().Value.AppId, Is.EqualTo("wxminiprogram000001"));
    }

    [Test]
    public void Build_WithoutAnySettings_DoesNotThrowUntilUsed()
    {
        var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        using var sp = new ServiceCollection().AddWeChatPay(config.GetSection("WeChatPay")).BuildServiceProvider();

        Assert.That(() => sp.GetRequiredService<WeChatPayClient>(), Throws.InstanceOf<OptionsValidationException>());
    }
}
