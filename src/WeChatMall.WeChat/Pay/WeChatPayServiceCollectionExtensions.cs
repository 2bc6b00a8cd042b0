using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace WeChatMall.WeChat.Pay;

/// <summary>Registers the WeChat Pay API v3 client, credentials and notification parser.</summary>
public static class WeChatPayServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="WeChatPayOptions"/> from <paramref name="section"/> (usually <c>WeChatPay</c>). Keys are
    /// loaded and options validated on first use, so a host without WeChat Pay settings still starts.
    /// </summary>
    public static IServiceCollection AddWeChatPay(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<WeChatPayOptions>().Bind(section);
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
