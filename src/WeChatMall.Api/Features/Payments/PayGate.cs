using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Api.Features.Payments;

/// <summary>
/// Whether WeChat Pay is configured. The library validates its options and loads keys on first use, so a host without
/// them starts; every payment route asks here first and answers 503 PAY_NOT_CONFIGURED instead of a 500.
/// </summary>
public sealed class PayGate(IServiceProvider services, ILogger<PayGate> logger)
{
    volatile bool _ready;
    int _warned;

    public bool IsConfigured
    {
        get
        {
            if (_ready) return true;
            try
            {
                _ = services.GetRequiredService<IOptions<WeChatPayOptions>>().Value;
                _ = services.GetRequiredService<WeChatPayCredentials>();
                return _ready = true;
            }
            catch (Exception ex) when (ex is OptionsValidationException or IOException or UnauthorizedAccessException
                                          or ArgumentException or System.Security.Cryptography.CryptographicException)
            {
                // Once per process (the reconciler asks every round); the message names settings, never their values.
                if (Interlocked.Exchange(ref _warned, 1) == 0) Log.PayNotConfigured(logger, ex.GetType().Name, ex.Message);
                return false;
            }
        }
    }

    public static ProblemHttpResult NotConfigured() =>
        Problems.Unavailable("PAY_NOT_CONFIGURED", "WeChat Pay is not configured on this server (WeChatPay section).");
}
