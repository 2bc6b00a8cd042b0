using Microsoft.AspNetCore.Http.HttpResults;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>
/// Uncached twins of the mini-program reads, for scripts/bench.sh: same query code, straight from MySQL.
/// Mapped only when Bench:Enabled is true.
/// </summary>
public static class CatalogBenchEndpoints
{
    public static IEndpointRouteBuilder MapCatalogBench(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IConfiguration>().GetValue<bool>("Bench:Enabled")) return app;
        var g = app.MapGroup("/bench/catalog").ExcludeFromDescription();
        g.MapGet("/products/{id:long}/uncached", GetProductUncached);
        g.MapGet("/products/uncached", ListProductsUncached);
        return app;
    }

    static async Task<Results<Ok<ProductDetailDto>, NotFound>> GetProductUncached(long id, CatalogQueries queries, CancellationToken ct)
        => await queries.ProductAsync(id, includeOffShelf: false, ct) is { } p
            ? TypedResults.Ok(ProductDetailDto.Compose(p, await queries.StockAsync(id, ct)))
            : TypedResults.NotFound();

    static async Task<Ok<ProductPage>> ListProductsUncached([AsParameters] ProductListQuery query, CatalogQueries queries, CancellationToken ct)
    {
        var categories = query.CategoryId is { } c ? (await queries.CategoryTreeAsync(ct)).Subtree(c) : null;
        return TypedResults.Ok(await queries.ListAsync(categories, query.Q, query.Sort ?? "default", query.Page ?? 1, query.PageSize ?? 20, ct));
    }
}
