using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>Admin use cases on the category tree.</summary>
public static class ManageCategories
{
    public static async Task<Ok<IReadOnlyList<CategoryDto>>> List(CategoryStore store, CancellationToken ct)
        => TypedResults.Ok(await store.ListAsync(ct));

    public static async Task<Results<Created<CategoryDto>, ValidationProblem>> Create(
        CategoryRequest request, CategoryStore store, CatalogCacheGeneration generation, TimeProvider time, CancellationToken ct)
    {
        var all = await store.ListAsync(ct);
        if (request.ParentId is { } p && all.All(c => c.Id != p))
            return ParentError($"Unknown parent category {p}.");
        var id = await store.CreateAsync(request, time.GetUtcNow().UtcDateTime, ct);
        await generation.BumpAsync();
        return TypedResults.Created($"/admin/catalog/categories/{id}", (await store.FindAsync(id, ct))!);
    }

    public static async Task<Results<Ok<CategoryDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(
        long id, CategoryRequest request, CategoryStore store, CatalogCacheGeneration generation, TimeProvider time, CancellationToken ct)
    {
        var byId = (await store.ListAsync(ct)).ToDictionary(c => c.Id);
        if (!byId.ContainsKey(id)) return TypedResults.NotFound();
        // Walk up from the new parent: meeting this category means the move would make a cycle.
        for (var p = request.ParentId; p is { } pid; p = byId[pid].ParentId)
        {
            if (!byId.ContainsKey(pid)) return ParentError($"Unknown parent category {pid}.");
            if (pid == id) return ParentError("A category cannot be moved under itself or its descendants.");
        }
        try
        {
            if (!await store.UpdateAsync(id, request, time.GetUtcNow().UtcDateTime, ct)) return TypedResults.NotFound();
        }
        catch (MySqlException ex) when (ConstraintRace.Caught(ex))
        {
            return ConstraintRace.Problem();
        }
        await generation.BumpAsync();
        return TypedResults.Ok((await store.FindAsync(id, ct))!);
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(
        long id, CategoryStore store, CatalogCacheGeneration generation, CancellationToken ct)
    {
        CategoryDeleteResult result;
        try
        {
            result = await store.DeleteAsync(id, ct);
        }
        catch (MySqlException ex) when (ConstraintRace.Caught(ex))
        {
            return ConstraintRace.Problem();
        }
        switch (result)
        {
            case CategoryDeleteResult.NotFound: return TypedResults.NotFound();
            case CategoryDeleteResult.HasChildren: return Problems.Conflict("CATEGORY_HAS_CHILDREN", "The category has sub-categories");
            case CategoryDeleteResult.HasProducts: return Problems.Conflict("CATEGORY_HAS_PRODUCTS", "The category has products");
        }
        await generation.BumpAsync();
        return TypedResults.NoContent();
    }

    static ValidationProblem ParentError(string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ParentId"] = [message] });
}
