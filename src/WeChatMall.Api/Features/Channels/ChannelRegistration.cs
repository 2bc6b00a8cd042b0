using WeChatMall.Api.Features.Followers;
using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Channels;

public static class ChannelRegistration
{
    public static IServiceCollection AddChannels(this IServiceCollection services)
    {
        services.AddSingleton<ChannelStore>().AddSingleton<ChannelFunnel>().AddSingleton<FollowerSyncStore>();
        services.AddSingleton<IFollowerEventObserver, ChannelScanRecorder>();
        services.AddJob<FollowerSyncJob>();
        return services;
    }
}
