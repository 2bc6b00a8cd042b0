using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Infrastructure.Auth;

namespace WeChatMall.Api.Features.Operators;

/// <summary>
/// The "Admin" scheme: an API token (<c>Authorization: Bearer wcm_…</c>), then the bootstrap key (<c>X-Admin-Key</c>,
/// when configured), then the console session cookie. Explicit credentials win over the cookie, which a browser
/// attaches on its own; only the cookie path needs the CSRF header (<see cref="AdminAccessHandler"/>).
/// </summary>
public sealed class AdminAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<AdminOptions> admin, OperatorSessions sessions, ApiTokenStore tokens, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string BootstrapKeyActor = "bootstrap key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken() is { } bearer)
        {
            if (await tokens.FindActiveAsync(bearer, Context.RequestAborted) is not { } token)
                return AuthenticateResult.Fail("The API token is unknown, expired or revoked.");
            return Success(AdminClaims.Principal(AdminClaims.KindToken, token.Id.ToString(CultureInfo.InvariantCulture), token.Name, token.Role));
        }
        if (Request.Headers.TryGetValue(AdminAuth.HeaderName, out var presented))
        {
            var expected = admin.Value.ApiKey;
            if (string.IsNullOrEmpty(expected)) return AuthenticateResult.Fail("The bootstrap key is off (Admin:ApiKey is not set).");
            if (presented.Count != 1 || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented.ToString()), Encoding.UTF8.GetBytes(expected)))
                return AuthenticateResult.Fail("Invalid admin key.");
            return Success(AdminClaims.Principal(AdminClaims.KindKey, "0", BootstrapKeyActor, AdminRole.Owner));
        }
        if (Request.Cookies.TryGetValue(AdminAuth.CookieName, out var cookie) && cookie is { Length: > 0 and <= 128 })
        {
            OperatorSession? session;
            try
            {
                session = await sessions.FindAsync(cookie, Context.RequestAborted);
            }
            catch (Exception ex) when (Infrastructure.Redis.RedisDeadline.IsOutage(ex))
            {
                Log.SessionStoreUnavailable(Logger, ex.GetType().Name);
                return AuthenticateResult.Fail(ex);
            }
            if (session is null) return AuthenticateResult.Fail("The session is unknown, expired or signed out.");
            return Success(AdminClaims.Principal(AdminClaims.KindOperator, session.OperatorId.ToString(CultureInfo.InvariantCulture),
                session.Username, session.Role, new Claim(AdminClaims.SessionId, session.Id), new Claim(AdminClaims.CsrfToken, session.CsrfToken)));
        }
        return AuthenticateResult.NoResult();
    }

    AuthenticateResult Success(ClaimsPrincipal principal) =>
        AuthenticateResult.Success(new AuthenticationTicket(principal, AdminAuth.Scheme));

    string? BearerToken()
    {
        var header = Request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var token = value["Bearer ".Length..].Trim();
        return token.StartsWith(ApiTokenStore.Prefix, StringComparison.Ordinal) && token.Length <= 128 ? token : null;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        if (failure is not null && Infrastructure.Redis.RedisDeadline.IsOutage(failure))
        {
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails = { Status = 503, Title = "Sessions are unavailable right now; try again shortly", Extensions = { ["code"] = "SESSIONS_UNAVAILABLE" } },
            });
            return;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = 401, Title = "Sign-in required",
                Detail = failure?.Message ?? "Sign in (POST /admin/session), or send Authorization: Bearer <API token> or X-Admin-Key.",
                Extensions = { ["code"] = "UNAUTHORIZED" },
            },
        });
    }
}
