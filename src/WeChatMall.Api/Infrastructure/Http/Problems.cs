using Microsoft.AspNetCore.Http.HttpResults;

namespace WeChatMall.Api.Infrastructure.Http;

/// <summary>
/// Every refusal the API answers: the HTTP status, a title a person can act on and a stable <c>code</c> that clients
/// switch on (each code is listed in docs/errors.md).
/// </summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string code, string title, string? detail = null,
        IDictionary<string, object?>? extra = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        foreach (var (key, value) in extra ?? new Dictionary<string, object?>()) extensions[key] = value;
        return TypedResults.Problem(title: title, detail: detail, statusCode: status, extensions: extensions);
    }

    public static ProblemHttpResult BadRequest(string code, string title, string? detail = null) =>
        Of(StatusCodes.Status400BadRequest, code, title, detail);

    public static ProblemHttpResult Unauthorized(string code, string title, string? detail = null) =>
        Of(StatusCodes.Status401Unauthorized, code, title, detail);

    public static ProblemHttpResult Forbidden(string code, string title, string? detail = null) =>
        Of(StatusCodes.Status403Forbidden, code, title, detail);

    public static ProblemHttpResult NotFound(string code, string title, string? detail = null) =>
        Of(StatusCodes.Status404NotFound, code, title, detail);

    public static ProblemHttpResult Conflict(string code, string title, string? detail = null, IDictionary<string, object?>? extra = null) =>
        Of(StatusCodes.Status409Conflict, code, title, detail, extra);

    public static ProblemHttpResult Gone(string code, string title, string? detail = null) =>
        Of(StatusCodes.Status410Gone, code, title, detail);

    public static ProblemHttpResult Unprocessable(string code, string title, string? detail = null, IDictionary<string, object?>? extra = null) =>
        Of(StatusCodes.Status422UnprocessableEntity, code, title, detail, extra);

    public static ProblemHttpResult TooManyRequests(string code, string title, string? detail = null) =>
        Of(StatusCodes.Status429TooManyRequests, code, title, detail);

    public static ProblemHttpResult Unavailable(string code, string title, string? detail = null) =>
        Of(StatusCodes.Status503ServiceUnavailable, code, title, detail);
}
