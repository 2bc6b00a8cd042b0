using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Jobs;
using WeChatMall.Api.Infrastructure.Outbox;

namespace WeChatMall.Api.Features.Orders;

public static class OrderRegistration
{
    public static IServiceCollection AddOrders(this IServiceCollection services)
    {
        services.AddOptions<OrderOptions>().BindConfiguration(OrderOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OrderPlacer>();
        services.AddSingleton<OrderQueries>();
        services.AddSingleton<OrderLifecycle>();
        services.AddSoldOutShortcut();
        services.AddSingleton<IMemberMergeParticipant, OrderMergeParticipant>();
        services.AddJob<OrderJobs>();
        services.AddSingleton<IOutboxHandler, UploadShippingHandler>();
        return services;
    }
}
