using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace WeChatMall.WeChat.Pay;

static class WeChatPayRetry
{
    // Set by the client on calls that are safe to repeat; anything without it is never retried.
    public static readonly HttpRequestOptionsKey<bool> Idempotent = new("WeChatPay.Idempotent");

    public static void MarkIdempotent(HttpRequestMessage request) => request.Options.Set(Idempotent, true);

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, WeChatPayOptions options)
    {
        builder.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts),
            Delay = options.RetryBaseDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldRetryAfterHeader = false,
            ShouldHandle = args => ValueTask.FromResult(
                options.MaxRetryAttempts > 0
                && args.Context.GetRequestMessage() is { } request
                && request.Options.TryGetValue(Idempotent, out var idempotent) && idempotent
                && !args.Context.CancellationToken.IsCancellationRequested
                && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
        });
        builder.AddTimeout(options.AttemptTimeout);
    }
}
