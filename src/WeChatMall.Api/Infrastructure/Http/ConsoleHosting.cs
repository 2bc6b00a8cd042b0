using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace WeChatMall.Api.Infrastructure.Http;

/// <summary>
/// Serves the merchant console same-origin under /console: its built files, and index.html for every deep link
/// (/console/orders/…) so the browser router takes over. When the console was not built the API still starts, and
/// /console answers 404 CONSOLE_NOT_BUILT saying how to build it (docs/console.md).
/// </summary>
public static class ConsoleHosting
{
    public const string BasePath = "/console";

    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.SectionName);
        return services;
    }

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        var configured = app.ServiceProvider.GetRequiredService<IOptions<ConsoleOptions>>().Value.StaticFilesPath;
        var root = Path.GetFullPath(Path.Combine(app.ServiceProvider.GetRequiredService<IWebHostEnvironment>().ContentRootPath, configured));
        var index = Path.Combine(root, "index.html");
        var built = File.Exists(index);
        var files = built ? new PhysicalFileProvider(root) : null;
        var contentTypes = new FileExtensionContentTypeProvider();

        app.MapGet(BasePath + "/{**path}", (string? path, HttpContext context) =>
        {
            // An operator's page: never framed by another site, never sniffed into another type.
            context.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            // /console itself: the page's relative asset URLs need the trailing slash.
            if (context.Request.Path.Value == BasePath) return Results.Redirect(BasePath + "/");
            if (!built)
                return Problems.NotFound("CONSOLE_NOT_BUILT", "The console was not built",
                    $"Build it with `npm ci && npm run build` in src/WeChatMall.Console (scripts/start.sh does), or point AdminConsole:StaticFilesPath at a built copy; looked in {root}.");
            // A file (the catch-all route matches before any static-file middleware could). The provider refuses paths
            // outside its root. A missing file is a 404, not the page: only extension-less paths are the console's routes.
            if (Path.HasExtension(path))
            {
                var file = files!.GetFileInfo(path!);
                if (!file.Exists || file.IsDirectory || file.PhysicalPath is null) return Results.NotFound();
                // Vite puts a content hash in every asset name, so assets never change; index.html always may.
                context.Response.Headers.CacheControl = path!.StartsWith("assets/", StringComparison.Ordinal)
                    ? "public, max-age=31536000, immutable" : "no-cache";
                var type = contentTypes.TryGetContentType(file.Name, out var t) ? t : "application/octet-stream";
                return Results.File(file.PhysicalPath, type, enableRangeProcessing: false);
            }
            context.Response.Headers.CacheControl = "no-cache";
            return Results.File(index, "text/html; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }
}
