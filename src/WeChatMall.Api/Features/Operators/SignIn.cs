using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.Api.Infrastructure.RateLimiting;

namespace WeChatMall.Api.Features.Operators;

/// <summary>
/// POST /admin/session: username + password (+ TOTP code once enrolled) → a session cookie and the CSRF token. An unknown
/// username, a wrong password and a disabled account all get the same 401, and cost the same time.
/// </summary>
public static class SignIn
{
    public static async Task<Results<Ok<SessionDto>, ProblemHttpResult>> Handle(
        SignInRequest body, HttpContext http, OperatorStore store, OperatorPasswords passwords, OperatorTotp totp,
        SignInLockout lockout, OperatorSessions sessions, CancellationToken ct)
    {
        var username = body.Username.Trim().ToLowerInvariant();
        var ip = RateLimitEndpoints.ClientKey(http.Connection.RemoteIpAddress);
        var note = AuditNote.Of(http);
        note.Action = "sign-in";
        note.Actor = new AuditActor("anonymous", null, username.Length > 64 ? username[..64] : username);
        if (await lockout.LockedForAsync(username, ip, ct) is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Problems.TooManyRequests("SIGN_IN_LOCKED", "Too many failed sign-ins; try again later",
                $"Sign-in for this account or from this address is locked for {seconds} s.");
        }
        var op = await store.FindByUsernameAsync(username, ct);
        if (!passwords.Verify(body.Password, op?.PasswordHash) || op is null || op.Disabled)
        {
            await lockout.RecordFailureAsync(username, ip, ct);
            return Failed();
        }
        if (op.TotpSecret is { } secret)
        {
            if (string.IsNullOrWhiteSpace(body.TotpCode))
                return Problems.Of(StatusCodes.Status401Unauthorized, "TOTP_REQUIRED", "Enter the code of your authenticator app");
            if (totp.Match(secret, body.TotpCode) is not { } step || !await store.UseTotpStepAsync(op.Id, step, ct))
            {
                await lockout.RecordFailureAsync(username, ip, ct);
                return Problems.Of(StatusCodes.Status401Unauthorized, "TOTP_REQUIRED", "Enter the code of your authenticator app",
                    "The code was wrong, too old or already used.");
            }
        }
        await lockout.ClearAccountAsync(username, ct);
        var issued = await sessions.IssueAsync(op, ct);
        http.Response.Cookies.Append(AdminAuth.CookieName, issued.CookieValue, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", Secure = http.Request.IsHttps, IsEssential = true,
        });
        note.Actor = new AuditActor(AdminClaims.KindOperator, op.Id, op.Username);
        return TypedResults.Ok(SessionBody(op, issued.Session.CsrfToken));
    }

    static ProblemHttpResult Failed() =>
        Problems.Of(StatusCodes.Status401Unauthorized, "SIGN_IN_FAILED", "Wrong username or password");

    public static SessionDto SessionBody(OperatorRow op, string csrfToken) => new(
        new OperatorDto(op.Id, op.Username, op.DisplayName, op.Role),
        [.. AdminArea.All.Select(a => AdminPermissions.For(op.Role, a)).Zip(AdminArea.All, (p, a) => new PermissionDto(a.Name, p.Read, p.Write))],
        csrfToken);

    /// <summary>The signed-in operator's session id and CSRF token (from the "Admin" scheme's claims).</summary>
    public static (string SessionId, string Csrf) SessionOf(ClaimsPrincipal user) =>
        (user.FindFirstValue(AdminClaims.SessionId) ?? "", user.FindFirstValue(AdminClaims.CsrfToken) ?? "");
}
