using Microsoft.Extensions.DependencyInjection;
using WeChatMall.WeChat.Api;

namespace WeChatMall.WeChat.Tests;

static class WeChatTestHost
{
    public const string OaAppId = "wxOA0000000000001";
    public const string MpAppId = "wxMP0000000000002";

    public static ServiceProvider Create(StubWeChatServer stub, TimeProvider? time = null, IAccessTokenStore? store = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (time is not null) services.AddSingleton(time);
        if (store is not null) services.AddSingleton(store);
        services.AddWeChat(o =>
        {
            o.ApiBaseUrl = stub.BaseUrl;
            o.OAuthBaseUrl = "https://open.example";
            o.MpBaseUrl = "https://mp.example";
            o.OfficialAccount.AppId = OaAppId;
            o.OfficialAccount.AppSecret = "oa-secret";
            o.MiniProgram.AppId = MpAppId;
            o.MiniProgram.AppSecret = "mp-secret";
            o.BusyRetryDelay = TimeSpan.FromMilliseconds(5);
        });
        return services.BuildServiceProvider();
    }
}
