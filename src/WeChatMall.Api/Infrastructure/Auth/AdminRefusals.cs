using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Infrastructure.Auth;

/// <summary>
/// Says why an authenticated caller was refused (403 PERMISSION_DENIED with the area and read/write, or
/// CSRF_TOKEN_INVALID) instead of a bare 403; everything else goes to the framework's default.
/// </summary>
public sealed class AdminRefusals : IAuthorizationMiddlewareResultHandler
{
    readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure is { } failure)
        {
            if (failure.FailureReasons.OfType<CsrfTokenInvalid>().FirstOrDefault() is { } csrf)
            {
                await Problems.Forbidden("CSRF_TOKEN_INVALID", "The request lacks the session's CSRF token", csrf.Message).ExecuteAsync(context);
                return;
            }
            if (failure.FailureReasons.OfType<PermissionDenied>().FirstOrDefault() is { } denied)
            {
                await Problems.Of(StatusCodes.Status403Forbidden, "PERMISSION_DENIED", "Your role does not allow this", denied.Message,
                    new Dictionary<string, object?> { ["area"] = denied.Area.Name, ["access"] = denied.Write ? "write" : "read" })
                    .ExecuteAsync(context);
                return;
            }
        }
        await fallback.HandleAsync(next, context, policy, authorizeResult);
    }
}
