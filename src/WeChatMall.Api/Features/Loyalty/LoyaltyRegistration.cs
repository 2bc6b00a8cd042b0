using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Loyalty;

public static class LoyaltyRegistration
{
    public static IServiceCollection AddLoyalty(this IServiceCollection services)
    {
        services.AddOptions<LoyaltyOptions>().BindConfiguration(LoyaltyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TierStore>();
        services.AddSingleton<ReferralBinder>();
        services.AddSingleton<LoyaltyQueries>();
        // Tier prices on product detail: replaces Catalog's ListPricing (AddCatalog registers it with TryAdd).
        services.AddMemoryCache();
        services.AddSingleton<IClaimsTransformation, TierDiscountClaims>();
        services.Replace(ServiceDescriptor.Singleton<IMemberPricing, TierPricing>());
        services.AddSingleton<ILoyalty, MemberLoyalty>();
        services.AddJob<PointsExpiryJob>();
        return services;
    }
}
