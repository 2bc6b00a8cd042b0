using Microsoft.AspNetCore.Http.HttpResults;

namespace WeChatMall.Api.Features.Orders;

/// <summary>Every refusal of the orders feature: a useful title, the HTTP status and a stable code.</summary>
static class OrderProblems
{
    public static ProblemHttpResult Problem(int status, string code, string title, string? detail = null,
        IDictionary<string, object?>? extra = null)
    {
        var ext = new Dictionary<string, object?> { ["code"] = code };
        foreach (var (k, v) in extra ?? new Dictionary<string, object?>()) ext[k] = v;
        return TypedResults.Problem(title: title, detail: detail, statusCode: status, extensions: ext);
    }

    public static ProblemHttpResult NotFound(string code, string title) => Problem(StatusCodes.Status404NotFound, code, title);
    public static ProblemHttpResult Conflict(string code, string title, string? detail = null, IDictionary<string, object?>? extra = null)
        => Problem(StatusCodes.Status409Conflict, code, title, detail, extra);
    public static ProblemHttpResult Unprocessable(string code, string title, string? detail = null, IDictionary<string, object?>? extra = null)
        => Problem(StatusCodes.Status422UnprocessableEntity, code, title, detail, extra);

    public static ProblemHttpResult OrderNotFound() => NotFound("ORDER_NOT_FOUND", "No such order");
}
