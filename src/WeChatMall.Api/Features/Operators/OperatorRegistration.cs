namespace WeChatMall.Api.Features.Operators;

public static class OperatorRegistration
{
    public static IServiceCollection AddOperators(this IServiceCollection services)
    {
        services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OperatorStore>();
        services.AddSingleton<OperatorPasswords>();
        services.AddSingleton<OperatorSessions>();
        services.AddSingleton<OperatorTotp>();
        services.AddSingleton<SignInLockout>();
        services.AddSingleton<ApiTokenStore>();
        services.AddSingleton<AuditStore>();
        return services;
    }

    /// <summary>The audit log of admin writes; placed after the forwarded headers and the exception handler.</summary>
    public static IApplicationBuilder UseAdminAudit(this IApplicationBuilder app) => app.UseMiddleware<AuditMiddleware>();
}
