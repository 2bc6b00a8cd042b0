using WeChatMall.Api.Infrastructure.Jobs;
namespace WeChatMall.Api.Features.Followers;

public static class FollowerRegistration
{
    public static IServiceCollection AddFollowers(this IServiceCollection services)
    {
        services.AddOptions<FollowerOptions>().BindConfiguration(FollowerOptions.SectionName).ValidateDataAnnotations();
        services.AddSingleton<FollowerStore>();
        services.AddSingleton<FollowerNicknames>();
        services.AddJob<MessageRetentionJob>();
        return services;
    }
}
