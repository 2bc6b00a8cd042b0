using WeChatMall.Api.Features.Campaigns.Credits;
using WeChatMall.Api.Features.Campaigns.Mass;
using WeChatMall.Api.Features.Followers;
using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Campaigns;

public static class CampaignRegistration
{
    public static IServiceCollection AddCampaigns(this IServiceCollection services)
    {
        services.AddOptions<CampaignOptions>().BindConfiguration(CampaignOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SubscribeCredits>();
        services.AddSingleton<IFollowerEventObserver, SubscribePopupObserver>();
        services.AddSingleton<TemplateRegistry>();
        services.AddSingleton<CampaignStore>();
        services.AddSingleton<CampaignTransitions>();
        services.AddSingleton<RecipientStore>();
        services.AddSingleton<RecipientBatchStore>();
        services.AddSingleton<QuotaGovernor>();
        services.AddSingleton<CampaignMessages>();
        services.AddSingleton<CampaignSender>();
        services.AddSingleton<CampaignTestSend>();
        services.AddSingleton<MassSender>();
        services.AddSingleton<IFollowerEventObserver, MassJobFinishObserver>();
        services.AddSingleton<CampaignResults>();
        services.AddSingleton<CampaignRecurrence>();
        services.AddJob<CampaignDeliveryJob>();
        return services;
    }
}
