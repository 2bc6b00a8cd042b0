using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authorization;

namespace WeChatMall.Api.Infrastructure.Auth;

public sealed class AdminAccessRequirement : IAuthorizationRequirement;

/// <summary>Refused by the matrix: <see cref="AdminRefusals"/> answers 403 PERMISSION_DENIED naming the area.</summary>
public sealed class PermissionDenied(IAuthorizationHandler handler, AdminArea area, bool write, string message)
    : AuthorizationFailureReason(handler, message)
{
    public AdminArea Area { get; } = area;
    public bool Write { get; } = write;
}

/// <summary>A cookie-authenticated write without the session's CSRF token: 403 CSRF_TOKEN_INVALID.</summary>
public sealed class CsrfTokenInvalid(IAuthorizationHandler handler)
    : AuthorizationFailureReason(handler, "Send the X-CSRF-Token header the session answer gave.");

/// <summary>
/// The rule of every /admin route: the endpoint's <see cref="AdminArea"/>, the method (read or write) and the caller's
/// role, looked up in <see cref="AdminPermissions"/>. Cookies are sent by browsers on their own, so a write carried by
/// the session cookie must also prove it came from our page (the CSRF header); tokens and keys are never ambient.
/// </summary>
public sealed class AdminAccessHandler : AuthorizationHandler<AdminAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminAccessRequirement requirement)
    {
        if (context.Resource is not HttpContext http || context.User.Identity?.IsAuthenticated != true) return Task.CompletedTask;
        var area = http.GetEndpoint()?.Metadata.GetMetadata<AdminArea>();
        var write = AdminPermissions.IsWrite(http.Request.Method);
        if (area is null)
        {
            context.Fail(new AuthorizationFailureReason(this, "This admin route names no area."));
            return Task.CompletedTask;
        }
        var kind = context.User.Kind();
        if (kind == AdminClaims.KindOperator && write && !CsrfMatches(http, context.User.FindFirst(AdminClaims.CsrfToken)?.Value))
        {
            context.Fail(new CsrfTokenInvalid(this));
            return Task.CompletedTask;
        }
        if (area == AdminArea.Session && kind != AdminClaims.KindOperator)
        {
            context.Fail(new PermissionDenied(this, area, write, "Only a signed-in operator has a session; API tokens and the bootstrap key do not."));
            return Task.CompletedTask;
        }
        var role = context.User.AdminRoleOf() ?? "";
        if (!AdminPermissions.Allows(role, area, write))
        {
            context.Fail(new PermissionDenied(this, area, write, $"The role '{role}' may not {(write ? "change" : "read")} '{area.Name}'."));
            return Task.CompletedTask;
        }
        context.Succeed(requirement);
        return Task.CompletedTask;
    }

    static bool CsrfMatches(HttpContext http, string? expected)
    {
        if (string.IsNullOrEmpty(expected) || !http.Request.Headers.TryGetValue(AdminAuth.CsrfHeaderName, out var sent) || sent.Count != 1)
            return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent.ToString()), Encoding.UTF8.GetBytes(expected));
    }
}
