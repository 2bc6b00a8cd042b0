using Microsoft.AspNetCore.Diagnostics;

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
/// client abandoned (499, never logged as an error). Everything else falls through to the default 500.
/// </summary>
public sealed class ExpectedExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
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
            case OperationCanceledException when context.RequestAborted.IsCancellationRequested:
                context.Response.StatusCode = 499;
                return true;
            default:
                return false;
        }
    }
}
