using Scalar.AspNetCore;

namespace WeChatMall.Api.Infrastructure.Http;

public static class ApiDocs
{
    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "WeChatMall API";
            doc.Info.Description = "Self-hosted WeChat Official Account, member CRM and mini-program mall backend.";
            return Task.CompletedTask;
        }));

    /// <summary>OpenAPI at /openapi/v1.json and the browsable reference at /scalar.</summary>
    public static void MapApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/scalar");
    }
}
