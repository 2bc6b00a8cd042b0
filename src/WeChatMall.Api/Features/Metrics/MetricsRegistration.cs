using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Metrics;

public static class MetricsRegistration
{
    public static IServiceCollection AddMerchantMetrics(this IServiceCollection services)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName).ValidateDataAnnotations();
        services.AddSingleton<MetricsRollup>();
        services.AddSingleton<MetricsQueries>();
        services.AddJob<MetricsRollupJob>();
        return services;
    }
}
