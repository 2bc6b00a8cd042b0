using WeChatMall.WeChat;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Infrastructure.WeChat;

public static class WeChatRegistration
{
    /// <summary>The WeChat library, with its token store on Redis so all instances share one access_token.</summary>
    public static IServiceCollection AddWeChatIntegration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IAccessTokenStore, RedisAccessTokenStore>();
        services.AddWeChat(configuration.GetSection(WeChatOptions.SectionName));
        return services;
    }
}
