using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Catalog;

public sealed record StockDto(long SkuId, int Stock);

/// <summary>Admin use cases on SKUs: add, update, delete, and stock adjustments with a reason.</summary>
public static class ManageSkus
{
    public static async Task<Results<Created<ProductDetailDto>, NotFound, ValidationProblem, ProblemHttpResult>> Add(
        long productId, SkuRequest request, SkuStore skus, ProductStore products, CatalogQueries queries,
        CatalogCacheGeneration generation, TimeProvider time, CancellationToken ct)
    {
        var errors = await ValidateAsync(productId, null, request, skus, products, ct);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        try
        {
            if (await skus.AddAsync(productId, request, time.GetUtcNow().UtcDateTime, ct) is null) return TypedResults.NotFound();
        }
        catch (MySqlException ex) when (ConstraintRace.Caught(ex))
        {
            return ConstraintRace.Problem();
        }
        await generation.BumpAsync();
        return TypedResults.Created($"/admin/catalog/products/{productId}", (await ManageProducts.AdminViewAsync(queries, productId, ct))!);
    }

    public static async Task<Results<Ok<ProductDetailDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(
        long skuId, SkuFieldsRequest request, SkuStore skus, ProductStore products, CatalogQueries queries,
        CatalogCacheGeneration generation, TimeProvider time, CancellationToken ct)
    {
        if (await skus.ProductOfAsync(skuId, ct) is not { } productId) return TypedResults.NotFound();
        var errors = await ValidateAsync(productId, skuId, request, skus, products, ct);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        try
        {
            if (!await skus.UpdateAsync(skuId, productId, request, time.GetUtcNow().UtcDateTime, ct)) return TypedResults.NotFound();
        }
        catch (MySqlException ex) when (ConstraintRace.Caught(ex))
        {
            return ConstraintRace.Problem();
        }
        await generation.BumpAsync();
        return TypedResults.Ok((await ManageProducts.AdminViewAsync(queries, productId, ct))!);
    }

    static async Task<CatalogErrors> ValidateAsync(
        long productId, long? skuId, SkuFieldsRequest request, SkuStore skus, ProductStore products, CancellationToken ct)
    {
        var errors = new CatalogErrors();
        CatalogValidation.Sku(request, "", errors);
        if (errors.Any) return errors; // the database checks below need a well-formed spec
        if (await skus.SpecTakenAsync(productId, CatalogValidation.SpecKey(request.Spec), skuId, ct))
            errors.Add("Spec", "Another SKU of this product has the same spec.");
        if (request.Code is { } code && (await products.CodesInUseAsync([code], skuId, ct)).Count > 0)
            errors.Add("Code", $"SKU code '{code}' is already used.");
        return errors;
    }

    public static async Task<Results<NoContent, NotFound>> Delete(
        long skuId, SkuStore skus, CatalogCacheGeneration generation, TimeProvider time, CancellationToken ct)
    {
        if (await skus.ProductOfAsync(skuId, ct) is not { } productId
            || !await skus.DeleteAsync(skuId, productId, time.GetUtcNow().UtcDateTime, ct)) return TypedResults.NotFound();
        await generation.BumpAsync();
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Stock is not part of the long-lived cache entry (it is cached for StockCacheSeconds only), so an
    /// adjustment does not invalidate the catalog.
    /// </summary>
    public static async Task<Results<Ok<StockDto>, NotFound, ValidationProblem, ProblemHttpResult>> AdjustStock(
        long skuId, StockAdjustmentRequest request, SkuStore skus, TimeProvider time, ILogger<SkuStore> logger, CancellationToken ct)
    {
        if (request.Delta == 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["Delta"] = ["The delta cannot be zero."] });
        if (await skus.AdjustStockAsync(skuId, request.Delta, request.Reason.Trim(), time.GetUtcNow().UtcDateTime, ct) is { } stock)
        {
            Log.StockAdjusted(logger, skuId, request.Delta, stock);
            return TypedResults.Ok(new StockDto(skuId, stock));
        }
        return await skus.ProductOfAsync(skuId, ct) is null
            ? TypedResults.NotFound()
            : Problems.Conflict("STOCK_NEGATIVE", "Stock cannot go below zero");
    }

    public static async Task<Results<Ok<IReadOnlyList<StockAdjustmentDto>>, NotFound>> Adjustments(long skuId, SkuStore skus, CancellationToken ct)
        => await skus.ProductOfAsync(skuId, ct) is null ? TypedResults.NotFound() : TypedResults.Ok(await skus.AdjustmentsAsync(skuId, ct));
}

static partial class Log
{
    [LoggerMessage(8010, LogLevel.Information, "Stock of SKU {SkuId} adjusted by {Delta} to {Stock}")]
    public static partial void StockAdjusted(ILogger logger, long skuId, int delta, int stock);
}
