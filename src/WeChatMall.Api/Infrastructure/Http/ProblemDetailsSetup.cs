using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using WeChatMall.Api.Infrastructure.Database;

namespace WeChatMall.Api.Infrastructure.Http;

public static class ProblemDetailsSetup
{
    public static IServiceCollection AddApiProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier;
            // Every problem carries a machine-readable code; handlers set specific ones, the rest get one per status.
            if (!ctx.ProblemDetails.Extensions.ContainsKey("code") && DefaultCode(ctx.ProblemDetails) is { } code)
                ctx.ProblemDetails.Extensions["code"] = code;
        });
        services.AddExceptionHandler<ExpectedExceptionHandler>();
        return services;
    }

    static string? DefaultCode(ProblemDetails problem) => problem switch
    {
        HttpValidationProblemDetails => "VALIDATION_FAILED",
        { Status: 400 } => "BAD_REQUEST",
        { Status: 401 } => "UNAUTHORIZED",
        { Status: 403 } => "FORBIDDEN",
        { Status: 404 } => "NOT_FOUND",
        { Status: 405 } => "METHOD_NOT_ALLOWED",
        { Status: 413 } => "PAYLOAD_TOO_LARGE",
        { Status: 415 } => "UNSUPPORTED_MEDIA_TYPE",
        { Status: >= 500 } => "INTERNAL_ERROR",
        _ => null,
    };
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
