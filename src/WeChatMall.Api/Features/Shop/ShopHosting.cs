using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace WeChatMall.Api.Features.Shop;

/// <summary>
/// Serves the shopper's H5 mall (src/WeChatMall.Shop, built by npm) under /shop from <see cref="ShopOptions.H5Path"/>:
/// same origin as /api, so the shop needs no CORS and no API URL of its own. Nothing is served when the path is unset.
/// </summary>
public static partial class ShopHosting
{
    public static IServiceCollection AddShop(this IServiceCollection services)
    {
        services.AddOptions<ShopOptions>().BindConfiguration(ShopOptions.SectionName);
        return services;
    }

    // A WebApplication, not an IEndpointRouteBuilder like the other MapX: the shop is static files (middleware).
    public static WebApplication MapShop(this WebApplication app)
    {
        var path = app.Services.GetRequiredService<IOptions<ShopOptions>>().Value.H5Path;
        if (string.IsNullOrWhiteSpace(path)) return app;
        var root = Path.GetFullPath(path, app.Environment.ContentRootPath);
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            ShopNotBuilt(app.Logger, root);
            return app;
        }
        var files = new PhysicalFileProvider(root);
        // /shop redirects to /shop/ (RedirectToAppendTrailingSlash), which serves index.html.
        app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = "/shop", FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = "/shop",
            FileProvider = files,
            // index.html names the hashed assets: it must not be cached, the assets may be for long.
            OnPrepareResponse = ctx => ctx.Context.Response.Headers[HeaderNames.CacheControl] =
                ctx.File.Name == "index.html" ? "no-cache" : "public, max-age=31536000, immutable",
        });
        return app;
    }

    // Event ids 17001–17009 belong to the shop (issue 17).
    [LoggerMessage(17001, LogLevel.Warning, "Shop:H5Path {Path} has no index.html: build it with npm run build:h5 (src/WeChatMall.Shop)")]
    static partial void ShopNotBuilt(ILogger logger, string path);
}
