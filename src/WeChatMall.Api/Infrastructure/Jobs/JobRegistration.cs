namespace WeChatMall.Api.Infrastructure.Jobs;

public static class JobRegistration
{
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddSingleton<JobLease>();
        services.AddSingleton<JobServices>();
        return services;
    }

    /// <summary>Registers a job once: as itself (tests and admin call its one-pass method) and as a hosted service.</summary>
    public static IServiceCollection AddJob<TJob>(this IServiceCollection services) where TJob : PeriodicJob
    {
        services.AddSingleton<TJob>();
        services.AddHostedService(sp => sp.GetRequiredService<TJob>());
        return services;
    }
}
