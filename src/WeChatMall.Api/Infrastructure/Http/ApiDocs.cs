using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Auth;

namespace WeChatMall.Api.Infrastructure.Http;

public static class ApiDocs
{
    public const string EnabledSetting = "ApiDocs:Enabled";

    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((doc, _, _) =>
            {
                doc.Info.Title = "WeChatMall API";
                doc.Info.Description = "Self-hosted WeChat Official Account, member CRM and mini-program mall backend. "
                    + "Admin endpoints (/admin/*) need the header X-Admin-Key: <Admin:ApiKey>; member endpoints need "
                    + "Authorization: Bearer <token from POST /api/auth/login>.";
                doc.Components ??= new OpenApiComponents();
                doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                doc.Components.SecuritySchemes[AdminAuth.Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = AdminAuth.HeaderName,
                    Description = "The configured Admin:ApiKey.",
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
                var scheme = context.Description.RelativePath?.StartsWith("admin/", StringComparison.Ordinal) == true ? AdminAuth.Scheme
                    : RequiresMember(context.Description.ActionDescriptor.EndpointMetadata) ? MemberAuth.Scheme : null;
                if (scheme is null) return Task.CompletedTask;
                operation.Security = [new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [],
                }];
                operation.Responses ??= new OpenApiResponses();
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Missing or invalid credentials (ProblemDetails)." });
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
