namespace WeChatMall.Api.Features.Audience.Marketplace;

public static class MarketplaceRegistration
{
    public static IServiceCollection AddMarketplace(this IServiceCollection services)
    {
        services.AddOptions<MarketplaceOptions>().BindConfiguration(MarketplaceOptions.SectionName).ValidateDataAnnotations();
        services.AddSingleton<MarketplaceOrderStore>();
        services.AddSingleton<MarketplaceQueries>();
        return services;
    }
}
