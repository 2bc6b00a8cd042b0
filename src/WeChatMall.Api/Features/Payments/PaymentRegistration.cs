using WeChatMall.Api.Infrastructure.Jobs;
using WeChatMall.Api.Infrastructure.Outbox;
using WeChatMall.Api.Infrastructure.RateLimiting;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Api.Features.Payments;

public static class PaymentRegistration
{
    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration configuration)
    {
        // Keys are loaded and validated on first use (PayGate), so the API starts without a WeChatPay section.
        services.AddWeChatPay(configuration.GetSection(WeChatPayOptions.SectionName));
        services.AddOptions<PaymentOptions>().BindConfiguration(PaymentOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PayGate>();
        services.AddSingleton<PaidMessages>();
        services.AddSingleton<PaymentApplier>();
        services.AddSingleton<PayNotificationLog>();
        services.AddSingleton<RefundCreation>();
        services.AddSingleton<RefundSettlement>();
        services.AddSingleton<IOutboxHandler, PaidMessageHandler>();
        services.AddSingleton<IOutboxHandler, SubmitRefundHandler>();
        services.AddSingleton<IOutboxHandler, CloseOrderHandler>();
        services.AddJob<PaymentReconciler>();
        return services;
    }

    public static IEndpointRouteBuilder MapPayments(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/orders/{orderNo}/pay", PayOrder.Handle).WithTags("Payments")
            .RequireAuthorization(Members.MemberAuth.Policy).WithName("PayOrder").RateLimited(RateLimitPolicy.Pay);
        return app;
    }
}
