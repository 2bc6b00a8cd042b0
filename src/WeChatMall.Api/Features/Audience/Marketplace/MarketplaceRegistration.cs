using WeChatMall.Api.Features.Members;

namespace WeChatMall.Api.Features.Audience.Marketplace;

public static class MarketplaceRegistration
{
    public static IServiceCollection AddMarketplace(this IServiceCollection services)
    {
        services.AddOptions<MarketplaceOptions>().BindConfiguration(MarketplaceOptions.SectionName).ValidateDataAnnotations();
        services.AddSingleton<MarketplaceOrderStore>();
        services.AddSingleton<MarketplaceQueries>();
        services.AddSingleton<IMemberMergeParticipant, MarketplaceMergeParticipant>();
        return services;
    }
}
