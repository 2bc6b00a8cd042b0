using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WeChatMall.WeChat.Api;
using WeChatMall.WeChat.MiniProgram;
using WeChatMall.WeChat.OfficialAccount;

namespace WeChatMall.WeChat.Tests;

public sealed class WeChatServiceCollectionExtensionsTests
{
    static IConfigurationSection Section() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["WeChat:ApiBaseUrl"] = "http://127.0.0.1:9/api",
        ["WeChat:OfficialAccount:AppId"] = "wxOA",
        ["WeChat:OfficialAccount:Token"] = "tok",
        ["WeChat:OfficialAccount:EncodingAESKey"] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        ["WeChat:MiniProgram:AppId"] = "wxMP",
    }).Build().GetSection(WeChatOptions.SectionName);

    [Test]
    public void AddWeChat_ConfigurationSection_BindsOptionsAndResolvesClients()
    {
        using var sp = new ServiceCollection().AddWeChat(Section()).BuildServiceProvider();

        var options = sp.GetRequiredService<IOptions<WeChatOptions>>().Value;
        Assert.That((options.ApiBaseUrl, options.OfficialAccount.AppId, options.MiniProgram.AppId),
            Is.EqualTo(("http://127.0.0.1:9/api", "wxOA", "wxMP")));
        Assert.That(sp.GetRequiredService<OfficialAccountClient>(), Is.Not.Null);
        Assert.That(sp.GetRequiredService<MiniProgramClient>(), Is.Not.Null);
        Assert.That(sp.GetRequiredService<WeChatOAuthClient>(), Is.Not.Null);
        Assert.That(sp.GetRequiredService<MessageCrypto>(), Is.Not.Null);
        Assert.That(sp.GetRequiredService<IAccessTokenStore>(), Is.TypeOf<InMemoryAccessTokenStore>());
        Assert.That(sp.GetRequiredKeyedService<AccessTokenProvider>(WeChatApp.MiniProgram).AppId, Is.EqualTo("wxMP"));
    }

    [Test]
    public void AddWeChat_StoreRegisteredFirst_KeepsAppStore()
    {
        var custom = new InMemoryAccessTokenStore(TimeProvider.System);
        using var sp = new ServiceCollection().AddSingleton<IAccessTokenStore>(custom).AddWeChat(Section()).BuildServiceProvider();
        Assert.That(sp.GetRequiredService<IAccessTokenStore>(), Is.SameAs(custom));
    }
}
