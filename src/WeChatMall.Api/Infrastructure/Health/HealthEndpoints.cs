using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WeChatMall.Api.Infrastructure.Health;

public static class HealthEndpoints
{
    /// <summary>Checks with this tag make up /health/ready.</summary>
    public const string ReadyTag = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<MySqlHealthCheck>("mysql", tags: [ReadyTag])
            .AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // Liveness runs no checks: a dead database must not get the process restarted.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .ExcludeFromDescription();
        return app;
    }

    // Anyone can call these, so a check that is not healthy says only its status: its description (often an exception's
    // message, naming hosts, users and versions) goes to the log alone (the health check service logs it). Numeric
    // data (metrics such as a queue length) is written for every status.
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Status switch
                {
                    HealthStatus.Healthy when e.Value.Exception is null => e.Value.Description,
                    HealthStatus.Degraded => "degraded",
                    _ => "unavailable",
                },
                data = e.Value.Data.Count == 0 ? null : e.Value.Data.Where(d => IsNumber(d.Value)).ToDictionary(d => d.Key, d => d.Value),
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), context.RequestAborted);
    }

    static bool IsNumber(object? value) => value is int or long or double or float or decimal or bool or TimeSpan;
}
