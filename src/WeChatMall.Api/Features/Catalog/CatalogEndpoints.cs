using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Infrastructure.RateLimiting;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>The mini-program's catalog: anonymous, served from the cache.</summary>
public static class CatalogEndpoints
{
    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/catalog").WithTags("Catalog").AllowAnonymous();
        g.MapGet("/categories", GetCategoryTree).WithName(nameof(GetCategoryTree)).WithSummary("The category tree, children ordered by sort then id.");
        g.MapGet("/products", ListProducts).WithName(nameof(ListProducts))
            .WithSummary("On-shelf products of a category (and its sub-categories), title search, sort, page paging.")
            .RateLimited(RateLimitPolicy.CatalogSearch);
        g.MapGet("/products/{id:long}", GetProduct).WithName(nameof(GetProduct))
            .WithSummary("Product detail with SKUs and stock (stock at most Catalog:StockCacheSeconds old); 404 when off shelf.")
            // Still anonymous (the group allows it); the Member policy only makes a Bearer token sign the caller in,
            // so IMemberPricing can give a member their tier price. A missing or bad token is simply anonymous.
            .RequireAuthorization(Members.MemberAuth.Policy);
        return app;
    }

    static async Task<Ok<IReadOnlyList<CategoryNode>>> GetCategoryTree(CatalogReader catalog, CancellationToken ct)
        => TypedResults.Ok((await catalog.CategoriesAsync(ct)).Roots);

    static async Task<Ok<ProductPage>> ListProducts([AsParameters] ProductListQuery query, CatalogReader catalog, CancellationToken ct)
        => TypedResults.Ok(await catalog.ListAsync(query.CategoryId, query.Q, query.Sort ?? "default", query.Page ?? 1, query.PageSize ?? 20, ct));

    static async Task<Results<Utf8JsonResult<ProductDetailDto>, Ok<ProductDetailDto>, NotFound>> GetProduct(
        long id, CatalogReader catalog, IMemberPricing pricing, HttpContext http, CancellationToken ct)
    {
        if (await catalog.ProductAsync(id, ct) is not { } view) return TypedResults.NotFound();
        // List prices are the same for everyone: write the bytes serialized when the view was built.
        return pricing.AppliesTo(http.User)
            ? TypedResults.Ok(pricing.Apply(view.Dto, http.User))
            : new Utf8JsonResult<ProductDetailDto>(view.Utf8Json);
    }
}

/// <summary>Product list filters. sort: default (merchant order), sales, price_asc, price_desc, newest.</summary>
public sealed record ProductListQuery(
    [property: Range(1, long.MaxValue)] long? CategoryId,
    [property: StringLength(64)] string? Q,
    [property: AllowedValues(null, "default", "sales", "price_asc", "price_desc", "newest")] string? Sort,
    [property: Range(1, 1000)] int? Page,
    [property: Range(1, 50)] int? PageSize);
