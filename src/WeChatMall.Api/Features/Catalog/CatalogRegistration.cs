using Microsoft.Extensions.DependencyInjection.Extensions;
using WeChatMall.Api.Infrastructure.Caching;

namespace WeChatMall.Api.Features.Catalog;

public static class CatalogRegistration
{
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHybridCaching();
        services.AddSingleton<CatalogQueries>();
        services.AddSingleton<CatalogReader>();
        services.AddSingleton<CatalogCacheGeneration>();
        services.AddHostedService(sp => sp.GetRequiredService<CatalogCacheGeneration>());
        services.AddSingleton<CategoryStore>();
        services.AddSingleton<ProductStore>();
        services.AddSingleton<SkuStore>();
        services.AddOptions<FlashSaleOptions>().BindConfiguration(FlashSaleOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FlashSaleGate>();
        services.AddSingleton<FlashSalePlacements>();
        services.AddSingleton<FlashSaleSoldOut>();
        services.AddHostedService(sp => sp.GetRequiredService<FlashSaleSoldOut>());
        services.TryAddSingleton<IMemberPricing, ListPricing>();
        return services;
    }
}
