using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Journeys;

public static class JourneyRegistration
{
    public static IServiceCollection AddJourneys(this IServiceCollection services)
    {
        services.AddOptions<JourneyOptions>().BindConfiguration(JourneyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<JourneyStore>();
        services.AddSingleton<JourneyTransitions>();
        services.AddSingleton<JourneyMemberStore>();
        services.AddSingleton<JourneyTriggers>();
        services.AddSingleton<JourneyDefinitionCheck>();
        services.AddSingleton<JourneyCampaigns>();
        services.AddSingleton<JourneyRunner>();
        services.AddSingleton<JourneyResults>();
        services.AddSingleton<JourneyMoves>();
        services.AddJob<JourneyAdvanceJob>();
        return services;
    }
}
