using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Features.Orders;
using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Offers;

public static class OffersRegistration
{
    public static IServiceCollection AddOffers(this IServiceCollection services)
    {
        services.AddOptions<OffersOptions>().BindConfiguration(OffersOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CouponTemplateStore>();
        services.AddSingleton<CouponIssuer>();
        services.AddSingleton<CouponStats>();
        services.AddSingleton<MemberCoupons>();
        services.AddSingleton<DailySignIn>();
        services.AddSingleton<LuckyDraw>();
        services.AddSingleton<DrawStore>();
        services.AddSingleton<PointsMall>();
        services.AddSingleton<IOrderDiscounts, OrderDiscounts>();
        services.AddSingleton<IMemberMergeParticipant, OffersMergeParticipant>();
        services.AddSingleton<CouponSegmentGrants>();
        services.AddJob<CouponExpiryJob>();
        services.AddJob<CouponSegmentGrantJob>();
        return services;
    }
}
