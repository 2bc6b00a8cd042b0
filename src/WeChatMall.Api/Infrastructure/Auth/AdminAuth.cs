using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace WeChatMall.Api.Infrastructure.Auth;

/// <summary>
/// Temporary admin authentication: header <c>X-Admin-Key</c> must equal <c>Admin:ApiKey</c>. Kept tiny on purpose;
/// the full API-key scheme replaces it at merge. Endpoints require the "Admin" policy.
/// </summary>
public static class AdminAuth
{
    public const string Scheme = "AdminKey";
    public const string Policy = "Admin";
    public const string Header = "X-Admin-Key";

    public static IServiceCollection AddAdminAuth(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, AdminKeyHandler>(Scheme, null);
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return services;
    }
}

public sealed class AdminKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IConfiguration config)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var expected = config["Admin:ApiKey"];
        if (string.IsNullOrEmpty(expected) || !Request.Headers.TryGetValue(AdminAuth.Header, out var given))
            return Task.FromResult(AuthenticateResult.NoResult());
        // Hash both sides so the comparison is constant-time whatever the lengths.
        var match = CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given.ToString())), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
        if (!match) return Task.FromResult(AuthenticateResult.Fail("Invalid admin key"));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin")], AdminAuth.Scheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), AdminAuth.Scheme)));
    }
}
