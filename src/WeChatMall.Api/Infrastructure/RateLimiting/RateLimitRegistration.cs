namespace WeChatMall.Api.Infrastructure.RateLimiting;

public static class RateLimitRegistration
{
    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.Rules.All(r => r.Limit is >= 1 and <= 1_000_000 && r.WindowSeconds is >= 1 and <= 86_400),
                "Every RateLimits rule needs Limit 1..1000000 and WindowSeconds 1..86400.")
            .ValidateOnStart();
        return services;
    }
}
