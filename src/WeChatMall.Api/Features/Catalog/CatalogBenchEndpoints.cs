using Microsoft.AspNetCore.Http.HttpResults;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>
/// Uncached twins of the mini-program reads, for scripts/bench.sh: same query code, straight from MySQL.
/// Mapped only when Bench:Enabled is true.
/// </summary>
public static class CatalogBenchEndpoints
{
    public static void MapCatalogBench(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IConfiguration>().GetValue<bool>("Bench:Enabled")) return;
        var g = app.MapGroup("/bench/catalog").ExcludeFromDescription();
        g.MapGet("/products/{id:long}/uncached", GetProductUncached);
        g.MapGet("/products/uncached", ListProductsUncached);
    }

    static async Task<Results<Ok<ProductDetailDto>, NotFound>> GetProductUncached(long id, CatalogQueries queries, CancellationToken ct)
        => await queries.ProductAsync(id, includeOffShelf: false, ct) is { } p
            ? TypedResults.Ok(ProductDetailDto.Compose(p, await queries.StockAsync(id, ct)))
            : TypedResults.NotFound();

    static async Task<Ok<ProductPage>> ListProductsUncached(CatalogQueries queries, CancellationToken ct)
        => TypedResults.Ok(await queries.ListAsync(null, null, "default", 1, 20, ct));
}
