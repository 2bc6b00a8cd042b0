using WeChatMall.Api.Features.Followers;
using WeChatMall.Api.Infrastructure.Outbox;

namespace WeChatMall.Api.Features.Members;

public static class MemberRegistration
{
    public static IServiceCollection AddMembers(this IServiceCollection services)
    {
        services.AddOptions<MemberOptions>().BindConfiguration(MemberOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MemberStore>();
        services.AddSingleton<MemberMerger>();
        services.AddSingleton<MemberQueries>();
        services.AddSingleton<MemberSessions>();
        services.AddSingleton<MemberSessionCache>();
        services.AddHostedService(sp => sp.GetRequiredService<MemberSessionCache>());
        services.AddSingleton<OAuthStates>();
        services.AddSingleton<ClaimCodeByMessage>();
        services.AddSingleton<IFollowerEventObserver, LinkFollowerOnFollow>();
        services.AddSingleton<IOutboxHandler, FollowLinkHandler>();
        services.AddMemberAuth();
        return services;
    }
}
