using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Operators;

/// <summary>The console's own session: sign in and out, who am I, change my password, enrol a second factor.</summary>
public static class SessionEndpoints
{
    public static RouteGroupBuilder MapOperatorSession(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/session").WithTags("Operators").RequireAdmin(AdminArea.Session);
        g.MapPost("", SignIn.Handle).AllowAnonymous().WithName("AdminSignIn");
        g.MapGet("", Current).WithName("AdminCurrentSession");
        g.MapDelete("", SignOut).WithName("AdminSignOut");
        g.MapPost("/password", ChangePassword).WithName("AdminChangeOwnPassword");
        g.MapPost("/totp", StartTotp).WithName("AdminStartTotp");
        g.MapPost("/totp/confirm", ConfirmTotp).WithName("AdminConfirmTotp");
        return g;
    }

    static async Task<Results<Ok<SessionDto>, UnauthorizedHttpResult>> Current(HttpContext http, OperatorStore store, OperatorSessions sessions, CancellationToken ct)
    {
        if (await store.FindAsync(http.User.OperatorId() ?? 0, ct) is not { Disabled: false } op) return TypedResults.Unauthorized();
        return TypedResults.Ok(SignIn.SessionBody(op, SignIn.SessionOf(http.User).Csrf));
    }

    static async Task<NoContent> SignOut(HttpContext http, OperatorSessions sessions, CancellationToken ct)
    {
        var (id, csrf) = SignIn.SessionOf(http.User);
        await sessions.RevokeAsync(new OperatorSession(id, http.User.OperatorId() ?? 0, "", "", csrf), ct);
        http.Response.Cookies.Delete(AdminAuth.CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps });
        AuditNote.Of(http).Action = "sign-out";
        return TypedResults.NoContent();
    }

    /// <summary>Every other session of the operator ends: whoever else knew the old password is signed out.</summary>
    static async Task<Results<NoContent, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest body, HttpContext http, OperatorStore store, OperatorPasswords passwords, OperatorSessions sessions, CancellationToken ct)
    {
        AuditNote.Of(http).Action = "change own password";
        if (await store.FindAsync(http.User.OperatorId() ?? 0, ct) is not { } op) return Problems.NotFound("OPERATOR_NOT_FOUND", "No such operator");
        if (!passwords.Verify(body.CurrentPassword, op.PasswordHash))
            return Problems.Unprocessable("PASSWORD_INCORRECT", "The current password is wrong");
        await store.SetPasswordAsync(op.Id, passwords.Hash(body.NewPassword), ct);
        await sessions.RevokeAllAsync(op.Id, ct, keepId: SignIn.SessionOf(http.User).SessionId);
        return TypedResults.NoContent();
    }

    /// <summary>A new secret, shown once; it counts only after <see cref="ConfirmTotp"/> proves the app has it.</summary>
    static async Task<Results<Ok<TotpEnrolmentDto>, ProblemHttpResult>> StartTotp(HttpContext http, OperatorStore store, OperatorTotp totp, CancellationToken ct)
    {
        AuditNote.Of(http).Action = "start TOTP enrolment";
        if (await store.FindAsync(http.User.OperatorId() ?? 0, ct) is not { } op) return Problems.NotFound("OPERATOR_NOT_FOUND", "No such operator");
        if (op.TotpSecret is not null) return Problems.Conflict("TOTP_ALREADY_ENABLED", "A second factor is already enrolled");
        var secret = OperatorTotp.NewSecret();
        await store.SetPendingTotpAsync(op.Id, secret, ct);
        return TypedResults.Ok(new TotpEnrolmentDto(totp.EnrolmentUri(secret, op.Username), secret));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> ConfirmTotp(
        TotpConfirmRequest body, HttpContext http, OperatorStore store, OperatorTotp totp, CancellationToken ct)
    {
        AuditNote.Of(http).Action = "confirm TOTP enrolment";
        if (await store.FindAsync(http.User.OperatorId() ?? 0, ct) is not { } op) return Problems.NotFound("OPERATOR_NOT_FOUND", "No such operator");
        if (op.TotpSecret is not null) return Problems.Conflict("TOTP_ALREADY_ENABLED", "A second factor is already enrolled");
        if (op.TotpPendingSecret is not { } pending) return Problems.Conflict("TOTP_NOT_STARTED", "Start the enrolment first (POST /admin/session/totp)");
        if (totp.Match(pending, body.Code) is not { } step || !await store.ConfirmTotpAsync(op.Id, pending, step, ct))
            return Problems.Unprocessable("TOTP_CODE_INVALID", "The code does not match; check the app's clock and try the next code");
        return TypedResults.NoContent();
    }
}
