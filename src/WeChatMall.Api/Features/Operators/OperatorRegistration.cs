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
        return services;
    }

    public static void MapOperators(this IEndpointRouteBuilder app)
    {
        app.MapOperatorSession();
        app.MapOperatorAdmin();
        app.MapApiTokens();
    }
}
