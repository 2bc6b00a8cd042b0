using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using WeChatMall.Api.Features.Operators;

namespace WeChatMall.Api.Infrastructure.Auth;

/// <summary>The optional bootstrap key: owner-level access for provisioning scripts, off when unset.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>
    /// Sent as <c>X-Admin-Key</c>, it acts as an owner (audited as "bootstrap key"). Empty (default): the header is
    /// ignored and only operators' sessions and API tokens reach /admin.
    /// </summary>
    public string? ApiKey { get; set; }
}

/// <summary>
/// /admin is reached three ways, all through the one "Admin" scheme: an operator's session cookie (<c>wcm_admin</c>,
/// writes need <c>X-CSRF-Token</c>), an API token (<c>Authorization: Bearer wcm_…</c>) or the bootstrap key
/// (<c>X-Admin-Key</c>). What the caller may do is its role's row of <see cref="AdminPermissions"/>.
/// </summary>
public static class AdminAuth
{
    public const string Scheme = "AdminKey";
    public const string Policy = "Admin";
    public const string HeaderName = "X-Admin-Key";
    public const string CsrfHeaderName = "X-CSRF-Token";
    public const string CookieName = "wcm_admin";

    public static IServiceCollection AddAdminAuth(this IServiceCollection services)
    {
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName)
            .Validate(o => string.IsNullOrEmpty(o.ApiKey) || o.ApiKey.Length >= 16,
                "Admin:ApiKey must be at least 16 characters (or unset, which turns the bootstrap key off).")
            .ValidateOnStart();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AdminAuthenticationHandler>(Scheme, null);
        services.AddSingleton<IAuthorizationHandler, AdminAccessHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AdminRefusals>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser()
                .AddRequirements(new AdminAccessRequirement()));
        return services;
    }
}
