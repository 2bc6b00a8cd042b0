using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace WeChatMall.WeChat.Pay;

/// <summary>Registers the WeChat Pay API v3 client, credentials and notification parser.</summary>
public static class WeChatPayServiceCollectionExtensions
{
    public const string MiniProgramAppIdKey = "WeChat:MiniProgram:AppId";

    /// <summary>
    /// Binds <see cref="WeChatPayOptions"/> from <paramref name="section"/> (usually <c>WeChatPay</c>); an empty AppId
    /// is taken from <c>WeChat:MiniProgram:AppId</c> of the host's <see cref="IConfiguration"/>. Keys are
    /// loaded and options validated on first use, so a host without WeChat Pay settings still starts.
    /// </summary>
    public static IServiceCollection AddWeChatPay(this IServiceCollection services, IConfiguration section)
    {
        // The payer app is the mini-program, so AppId falls back to WeChat:MiniProgram:AppId from the host configuration.
        services.AddOptions<WeChatPayOptions>().Bind(section).PostConfigure<IServiceProvider>((o, sp) =>
        {
            if (string.IsNullOrEmpty(o.AppId) && sp.GetService<IConfiguration>() is { } root)
                o.AppId = root[MiniProgramAppIdKey] ?? "";
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WeChatPayOptions>, WeChatPayOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => WeChatPayCredentials.Load(
            sp.GetRequiredService<IOptions<WeChatPayOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new WeChatPayNotificationParser(
            sp.GetRequiredService<WeChatPayCredentials>().Verifier,
            sp.GetRequiredService<IOptions<WeChatPayOptions>>().Value.ApiV3Key));
        services.TryAddTransient<WeChatPaySigningHandler>();

        // The signing handler is added after (inside) the retry handler so every attempt is signed anew.
        var client = services.AddHttpClient<WeChatPayClient>();
        client.AddResilienceHandler("wechatpay", (builder, context) => WeChatPayRetry.Configure(
            builder, context.ServiceProvider.GetRequiredService<IOptions<WeChatPayOptions>>().Value));
        client.AddHttpMessageHandler<WeChatPaySigningHandler>();
        return services;
    }
}
