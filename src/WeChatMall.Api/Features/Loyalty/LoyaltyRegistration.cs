using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Loyalty;

public static class LoyaltyRegistration
{
    public static IServiceCollection AddLoyalty(this IServiceCollection services)
    {
        services.AddOptions<LoyaltyOptions>().BindConfiguration(LoyaltyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TierStore>();
        services.AddSingleton<ReferralBinder>();
        services.AddSingleton<ISignupReferral>(sp => sp.GetRequiredService<ReferralBinder>());
        services.AddSingleton<LoyaltyQueries>();
        services.AddSingleton<IMemberLoyaltyView>(sp => sp.GetRequiredService<LoyaltyQueries>());
        services.AddSingleton<IMemberMergeParticipant, ReferralMergeParticipant>();
        // Tier prices on product detail: replaces Catalog's ListPricing (AddCatalog registers it with TryAdd).
        services.AddMemoryCache();
        services.AddSingleton<IClaimsTransformation, TierDiscountClaims>();
        services.Replace(ServiceDescriptor.Singleton<IMemberPricing, TierPricing>());
        services.AddSingleton<ILoyalty, MemberLoyalty>();
        services.AddJob<PointsExpiryJob>();
        return services;
    }

    /// <summary>The member's own loyalty routes (tier admin: <see cref="TierAdminEndpoints.MapTierAdmin"/>).</summary>
    public static IEndpointRouteBuilder MapLoyalty(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me").WithTags("Members").RequireAuthorization(MemberAuth.Policy);
        me.MapPost("/referrer", ReferralBinder.Handle).WithName("BindReferrer");
        return app;
    }
}
