using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>Admin use cases on products: create (with SKUs), read, update, delete, on/off shelf.</summary>
public static class ManageProducts
{
    public static async Task<Results<Created<ProductDetailDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateProductRequest request, ProductStore store, CatalogQueries queries, CatalogCacheGeneration generation,
        TimeProvider time, CancellationToken ct)
    {
        var errors = await ValidateAsync(request, store, ct);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        long id;
        try
        {
            id = (await store.CreateAsync([request], time.GetUtcNow().UtcDateTime, ct))[0];
        }
        catch (MySqlException ex) when (ConstraintRace.Caught(ex))
        {
            return ConstraintRace.Problem();
        }
        await generation.BumpAsync();
        return TypedResults.Created($"/admin/catalog/products/{id}", await AdminViewAsync(queries, id, ct));
    }

    /// <summary>Everything a new product needs beyond DataAnnotations; shared with the CSV import.</summary>
    public static async Task<CatalogErrors> ValidateAsync(CreateProductRequest request, ProductStore store, CancellationToken ct)
    {
        var errors = new CatalogErrors();
        CatalogValidation.Product(request, errors);
        CatalogValidation.Skus(request.Skus, errors);
        if (request.Skus.Contains(null!)) return errors; // the checks below read every SKU
        if (!await store.CategoryExistsAsync(request.CategoryId, ct)) errors.Add("CategoryId", $"Unknown category {request.CategoryId}.");
        var used = await store.CodesInUseAsync(request.Skus.Select(s => s.Code), null, ct);
        for (var i = 0; i < request.Skus.Count; i++)
            if (request.Skus[i].Code is { } code && used.Contains(code)) errors.Add($"Skus[{i}].Code", $"SKU code '{code}' is already used.");
        return errors;
    }

    /// <summary>The admin's product list: off-shelf products too unless filtered, straight from MySQL.</summary>
    public static async Task<Ok<ProductPage>> List(
        [AsParameters] ProductListQuery query, bool? onShelf, CatalogQueries queries, CancellationToken ct)
    {
        var categories = query.CategoryId is { } c ? (await queries.CategoryTreeAsync(ct)).Subtree(c) : null;
        return TypedResults.Ok(await queries.ListAsync(
            categories, query.Q, query.Sort ?? "default", query.Page ?? 1, query.PageSize ?? 20, ct, onShelf));
    }

    public static async Task<Results<Ok<ProductDetailDto>, NotFound>> Get(long id, CatalogQueries queries, CancellationToken ct)
        => await AdminViewAsync(queries, id, ct) is { } p ? TypedResults.Ok(p) : TypedResults.NotFound();

    public static async Task<Results<Ok<ProductDetailDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(
        long id, UpdateProductRequest request, ProductStore store, CatalogQueries queries, CatalogCacheGeneration generation,
        TimeProvider time, CancellationToken ct)
    {
        var errors = new CatalogErrors();
        CatalogValidation.Product(request, errors);
        if (!await store.CategoryExistsAsync(request.CategoryId, ct)) errors.Add("CategoryId", $"Unknown category {request.CategoryId}.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        try
        {
            if (!await store.UpdateAsync(id, request, time.GetUtcNow().UtcDateTime, ct)) return TypedResults.NotFound();
        }
        catch (MySqlException ex) when (ConstraintRace.Caught(ex))
        {
            return ConstraintRace.Problem();
        }
        await generation.BumpAsync();
        return TypedResults.Ok((await AdminViewAsync(queries, id, ct))!);
    }

    public static async Task<Results<NoContent, NotFound>> Delete(
        long id, ProductStore store, CatalogCacheGeneration generation, CancellationToken ct)
    {
        if (!await store.DeleteAsync(id, ct)) return TypedResults.NotFound();
        await generation.BumpAsync();
        return TypedResults.NoContent();
    }

    public static Task<Results<NoContent, NotFound, ProblemHttpResult>> OnShelf(
        long id, ProductStore store, CatalogCacheGeneration generation, TimeProvider time, CancellationToken ct)
        => SetShelfAsync(id, true, store, generation, time, ct);

    public static Task<Results<NoContent, NotFound, ProblemHttpResult>> OffShelf(
        long id, ProductStore store, CatalogCacheGeneration generation, TimeProvider time, CancellationToken ct)
        => SetShelfAsync(id, false, store, generation, time, ct);

    static async Task<Results<NoContent, NotFound, ProblemHttpResult>> SetShelfAsync(
        long id, bool onShelf, ProductStore store, CatalogCacheGeneration generation, TimeProvider time, CancellationToken ct)
    {
        switch (await store.SetShelfAsync(id, onShelf, time.GetUtcNow().UtcDateTime, ct))
        {
            case ShelfResult.NotFound: return TypedResults.NotFound();
            case ShelfResult.NoSkus: return Problems.Conflict("NO_SKUS", "A product without SKUs cannot go on the shelf");
        }
        await generation.BumpAsync();
        return TypedResults.NoContent();
    }

    /// <summary>The admin sees off-shelf products too, with stock read live from the database.</summary>
    internal static async Task<ProductDetailDto?> AdminViewAsync(CatalogQueries queries, long id, CancellationToken ct)
        => await queries.ProductAsync(id, includeOffShelf: true, ct) is { } p
            ? ProductDetailDto.Compose(p, await queries.StockAsync(id, ct))
            : null;
}
