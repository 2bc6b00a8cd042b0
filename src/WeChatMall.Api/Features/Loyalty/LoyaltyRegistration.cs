namespace WeChatMall.Api.Features.Loyalty;

public static class LoyaltyRegistration
{
    public static IServiceCollection AddLoyalty(this IServiceCollection services)
    {
        services.AddOptions<LoyaltyOptions>().BindConfiguration(LoyaltyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TierStore>();
        services.AddSingleton<ReferralBinder>();
        services.AddSingleton<LoyaltyQueries>();
        services.AddSingleton<ILoyalty, MemberLoyalty>();
        services.AddSingleton<PointsExpiryJob>();
        services.AddHostedService(sp => sp.GetRequiredService<PointsExpiryJob>());
        return services;
    }
}
