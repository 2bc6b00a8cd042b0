using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WeChatMall.WeChat.Api;
using WeChatMall.WeChat.MiniProgram;
using WeChatMall.WeChat.OfficialAccount;

namespace WeChatMall.WeChat;

/// <summary>
/// Registers the WeChat OA/mini-program library: <see cref="WeChatOptions"/>, resilient HTTP clients, one
/// <see cref="AccessTokenProvider"/> per app (keyed by <see cref="WeChatApp"/>), the token store and the clients.
/// </summary>
public static class WeChatServiceCollectionExtensions
{
    public static IServiceCollection AddWeChat(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<WeChatOptions>().Bind(section);
        return services.AddWeChatCore();
    }

    public static IServiceCollection AddWeChat(this IServiceCollection services, Action<WeChatOptions> configure)
    {
        services.AddOptions<WeChatOptions>().Configure(configure);
        return services.AddWeChatCore();
    }

    static IServiceCollection AddWeChatCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAccessTokenStore>(sp => new InMemoryAccessTokenStore(sp.GetRequiredService<TimeProvider>()));

        // Sends (custom, template, mass) are not idempotent: transport retries apply to GETs only; errcode -1 is
        // retried separately. stable_token with force_refresh=false is safe to repeat.
        services.AddHttpClient(WeChatHttp.ApiClient).AddStandardResilienceHandler(o =>
        {
            o.Retry.Delay = TimeSpan.FromMilliseconds(500);
            o.Retry.DisableForUnsafeHttpMethods();
        });
        services.AddHttpClient(WeChatHttp.TokenClient).AddStandardResilienceHandler(o => o.Retry.Delay = TimeSpan.FromMilliseconds(500));

        services.TryAddSingleton(sp => new WeChatHttp(sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<WeChatOptions>>(), sp.GetRequiredService<TimeProvider>()));
        foreach (var app in new[] { WeChatApp.OfficialAccount, WeChatApp.MiniProgram })
            services.TryAddKeyedSingleton(app, (sp, _) => new AccessTokenProvider(app, sp.GetRequiredService<IAccessTokenStore>(),
                sp.GetRequiredService<WeChatHttp>(), sp.GetRequiredService<TimeProvider>(),
                (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<AccessTokenProvider>()));

        services.TryAddSingleton(sp => new OfficialAccountClient(Caller(sp, WeChatApp.OfficialAccount)));
        services.TryAddSingleton(sp => new MiniProgramClient(Caller(sp, WeChatApp.MiniProgram)));
        services.TryAddSingleton(sp => new WeChatOAuthClient(sp.GetRequiredService<WeChatHttp>()));
        // Resolving it without an EncodingAESKey fails with InvalidAesKey: plaintext-only hosts never ask for it.
        services.TryAddSingleton(sp => MessageCrypto.FromOptions(sp.GetRequiredService<IOptions<WeChatOptions>>().Value.OfficialAccount));
        return services;
    }

    static WeChatApiCaller Caller(IServiceProvider sp, WeChatApp app)
        => new(sp.GetRequiredService<WeChatHttp>(), sp.GetRequiredKeyedService<AccessTokenProvider>(app));
}
