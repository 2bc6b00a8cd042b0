using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Auth;

namespace WeChatMall.Api.Infrastructure.Http;

public static class ApiDocs
{
    public const string EnabledSetting = "ApiDocs:Enabled";
    public const string AdminSessionScheme = "AdminSession";
    public const string AdminTokenScheme = "AdminToken";

    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((doc, _, _) =>
            {
                doc.Info.Title = "WeChatMall API";
                doc.Info.Description = "Self-hosted WeChat Official Account, member CRM and mini-program mall backend. "
                    + "Admin endpoints (/admin/*) need an operator's session cookie from POST /admin/session (writes also send "
                    + "X-CSRF-Token), an API token (Authorization: Bearer wcm_…) or the bootstrap key (X-Admin-Key), and the "
                    + "role's permission for the route's area (docs/operators.md); member endpoints need "
                    + "Authorization: Bearer <token from POST /api/auth/login>.";
                doc.Components ??= new OpenApiComponents();
                doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                doc.Components.SecuritySchemes[AdminAuth.Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = AdminAuth.HeaderName,
                    Description = "The bootstrap key Admin:ApiKey (owner-level; off when unset).",
                };
                doc.Components.SecuritySchemes[AdminSessionScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = AdminAuth.CookieName,
                    Description = "An operator's session from POST /admin/session; writes also send X-CSRF-Token.",
                };
                doc.Components.SecuritySchemes[AdminTokenScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer",
                    Description = "An API token (wcm_…) from POST /admin/api-tokens, with the role it was given.",
                };
                doc.Components.SecuritySchemes[MemberAuth.Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer",
                    Description = "The member session token from POST /api/auth/login (opaque, not a JWT).",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var admin = context.Description.RelativePath?.StartsWith("admin/", StringComparison.Ordinal) == true
                    && !metadata.OfType<IAllowAnonymous>().Any();
                string[] schemes = admin ? [AdminSessionScheme, AdminTokenScheme, AdminAuth.Scheme]
                    : RequiresMember(metadata) ? [MemberAuth.Scheme] : [];
                if (schemes.Length == 0) return Task.CompletedTask;
                // Several requirement objects: any one of them will do.
                operation.Security = [.. schemes.Select(scheme => new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [],
                })];
                operation.Responses ??= new OpenApiResponses();
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Missing or invalid credentials (ProblemDetails)." });
                if (admin)
                    operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The role may not read or change this area (PERMISSION_DENIED), or the CSRF token is missing (ProblemDetails)." });
                return Task.CompletedTask;
            });
        });

    // A member route: the Member policy, and not opened to anonymous callers (product detail only uses the token when sent).
    static bool RequiresMember(IList<object> metadata) =>
        !metadata.OfType<IAllowAnonymous>().Any()
        && metadata.OfType<IAuthorizeData>().Any(a => a.Policy == MemberAuth.Policy);

    /// <summary>
    /// OpenAPI at /openapi/v1.json and the browsable reference at /scalar: by default everywhere but Production, where
    /// they would hand the whole attack surface to anyone; <c>ApiDocs:Enabled</c> decides either way.
    /// </summary>
    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        var configuration = app.ServiceProvider.GetRequiredService<IConfiguration>();
        var enabled = configuration.GetValue<bool?>(EnabledSetting) ?? !app.ServiceProvider.GetRequiredService<IHostEnvironment>().IsProduction();
        if (!enabled) return app;
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/scalar");
        return app;
    }
}
