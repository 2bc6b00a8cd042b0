namespace WeChatMall.Api.Features.Loyalty;

public static class LoyaltyRegistration
{
    public static IServiceCollection AddLoyalty(this IServiceCollection services)
    {
        services.AddSingleton<ILoyalty, BasicLoyalty>();
        return services;
    }
}
