using Microsoft.OpenApi;
using Scalar.AspNetCore;
using WeChatMall.Api.Infrastructure.Auth;

namespace WeChatMall.Api.Infrastructure.Http;

public static class ApiDocs
{
    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((doc, _, _) =>
            {
                doc.Info.Title = "WeChatMall API";
                doc.Info.Description = "Self-hosted WeChat Official Account, member CRM and mini-program mall backend. "
                    + "Admin endpoints (/admin/*) need the header X-Admin-Key: <Admin:ApiKey>.";
                doc.Components ??= new OpenApiComponents();
                doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                doc.Components.SecuritySchemes[AdminAuth.Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = AdminAuth.HeaderName,
                    Description = "The configured Admin:ApiKey.",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.RelativePath?.StartsWith("admin/", StringComparison.Ordinal) == true)
                    operation.Security = [new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(AdminAuth.Scheme, context.Document)] = [],
                    }];
                return Task.CompletedTask;
            });
        });

    /// <summary>OpenAPI at /openapi/v1.json and the browsable reference at /scalar.</summary>
    public static void MapApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/scalar");
    }
}
