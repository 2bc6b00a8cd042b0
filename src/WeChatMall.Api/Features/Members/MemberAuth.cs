using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace WeChatMall.Api.Features.Members;

/// <summary>The "Member" scheme and policy: <c>Authorization: Bearer &lt;token&gt;</c> from POST /api/auth/login.</summary>
public static class MemberAuth
{
    public const string Scheme = "Member";
    public const string Policy = "Member";

    public static IServiceCollection AddMemberAuth(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, MemberTokenHandler>(Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>The bearer token of the request, or null when the header is missing or not a single Bearer value.</summary>
    public static string? BearerToken(HttpRequest request) => TryBearerToken(request, out var token) ? token.ToString() : null;

    /// <summary>The same token as <see cref="BearerToken"/>, as a slice of the header (nothing allocated).</summary>
    public static bool TryBearerToken(HttpRequest request, out ReadOnlySpan<char> token)
    {
        token = default;
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        token = value.AsSpan("Bearer ".Length).Trim();
        return token.Length is > 0 and <= 128;
    }
}

/// <summary>The signed-in member, bound from the claims the "Member" scheme set.</summary>
public sealed record CurrentMember(long Id)
{
    public static ValueTask<CurrentMember?> BindAsync(HttpContext context) => ValueTask.FromResult(
        long.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && context.User.Identity?.AuthenticationType == MemberAuth.Scheme
            ? new CurrentMember(id) : null);
}

internal sealed class MemberTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    MemberSessions sessions, IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (MemberAuth.BearerToken(Request) is not { } token) return AuthenticateResult.NoResult();
        long? found;
        try
        {
            found = Context.Features.Get<SessionLookup>() is { } earlier && earlier.Token == token
                ? earlier.Failure is { } failure ? throw failure : earlier.MemberId
                : await sessions.FindAsync(token, Context.RequestAborted);
        }
        catch (Exception ex) when (MemberSessions.IsOutage(ex))
        {
            Log.SessionStoreUnavailable(Logger, ex.GetType().Name);
            return AuthenticateResult.Fail(ex);
        }
        if (found is not { } memberId) return AuthenticateResult.Fail("The session token is unknown, expired or signed out.");
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, memberId.ToString(CultureInfo.InvariantCulture))], MemberAuth.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), MemberAuth.Scheme));
    }

    // A ProblemDetails that says what to do, instead of an empty 401.
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        if (failure is not null && MemberSessions.IsOutage(failure))
        {
            // Not the client's fault: a 401 would make it log in again, which cannot help while Redis is away.
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails = { Status = 503, Title = "Sessions are unavailable right now; try again shortly", Extensions = { ["code"] = "SESSIONS_UNAVAILABLE" } },
            });
            return;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = 401, Title = "Sign-in required",
                Detail = failure?.Message ?? "Send Authorization: Bearer <token> from POST /api/auth/login.",
                Extensions = { ["code"] = failure is null ? "TOKEN_MISSING" : "TOKEN_INVALID" },
            },
        });
    }
}
