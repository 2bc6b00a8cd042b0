using Microsoft.AspNetCore.Diagnostics;
using WeChatMall.Api.Infrastructure.Database;

namespace WeChatMall.Api.Infrastructure.Http;

public static class ProblemDetailsSetup
{
    public static IServiceCollection AddApiProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
            ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier);
        services.AddExceptionHandler<ExpectedExceptionHandler>();
        return services;
    }
}

/// <summary>
/// Turns exceptions that are the client's doing into 4xx: a malformed body or header (400) and a request the
/// client abandoned (499, never logged as an error). A database outage is a 503 DATABASE_UNAVAILABLE with
/// Retry-After, so clients back off instead of reporting a bug. Everything else falls through to the default 500.
/// </summary>
public sealed class ExpectedExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    // A restarted or failed-over MariaDB is usually back within seconds.
    private const string RetryAfterSeconds = "5";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        switch (exception)
        {
            case BadHttpRequestException bad:
                context.Response.StatusCode = bad.StatusCode;
                return await problems.TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    Exception = exception,
                    ProblemDetails = { Title = "Bad request", Detail = bad.Message, Status = bad.StatusCode },
                });
            case var _ when DatabaseOutage.Is(exception):
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = RetryAfterSeconds;
                return await problems.TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    Exception = exception,
                    ProblemDetails =
                    {
                        Title = "The database is unavailable right now; try again shortly", Status = 503,
                        Extensions = { ["code"] = "DATABASE_UNAVAILABLE" },
                    },
                });
            case OperationCanceledException when context.RequestAborted.IsCancellationRequested:
                context.Response.StatusCode = 499;
                return true;
            default:
                return false;
        }
    }
}
