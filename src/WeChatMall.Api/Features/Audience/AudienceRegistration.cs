using WeChatMall.Api.Features.Audience.Rfm;
using WeChatMall.Api.Features.Audience.Segments;
using WeChatMall.Api.Features.Audience.Tags;
using WeChatMall.Api.Features.Followers;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Activity;
using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Audience;

public static class AudienceRegistration
{
    public static IServiceCollection AddAudience(this IServiceCollection services)
    {
        services.AddOptions<AudienceOptions>().BindConfiguration(AudienceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RfmSettingsStore>();
        services.AddSingleton<MemberStats>();
        services.AddSingleton<TagStore>();
        services.AddSingleton<TagRules>();
        services.AddSingleton<WeChatTagSync>();
        services.AddSingleton<SegmentStore>();
        services.AddSingleton<SegmentMembers>();
        services.AddSingleton<StatsRebuild>();
        services.AddSingleton<MemberActivity>();
        services.AddSingleton<IMemberActivity>(sp => sp.GetRequiredService<MemberActivity>());
        services.AddSingleton<IMemberMergeParticipant, AudienceMergeParticipant>();
        services.AddSingleton<IFollowerEventObserver, FollowerActivityObserver>();
        services.AddJob<AudienceNightlyJob>();
        return services;
    }

    public static void MapAudienceAdmin(this IEndpointRouteBuilder app)
    {
        app.MapAudience();
        app.MapSegments();
        app.MapTags();
    }
}
