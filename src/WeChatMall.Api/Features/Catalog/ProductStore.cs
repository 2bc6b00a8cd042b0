using System.Data.Common;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Catalog;

public enum ShelfResult { Done, NotFound, NoSkus }

/// <summary>Writes of products (with their initial SKUs) and the lookups their validation needs.</summary>
public sealed class ProductStore(MySqlDataSource db, FlashSaleGate gate)
{
    public async Task<bool> CategoryExistsAsync(long id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS(SELECT 1 FROM catalog_categories WHERE id = @id)", new { id }, cancellationToken: ct));
    }

    /// <summary>The given SKU codes that some other SKU already uses.</summary>
    public async Task<HashSet<string>> CodesInUseAsync(IEnumerable<string?> codes, long? exceptSkuId, CancellationToken ct)
    {
        var list = codes.OfType<string>().Distinct().ToList();
        if (list.Count == 0) return [];
        await using var conn = await db.OpenConnectionAsync(ct);
        var used = await conn.QueryAsync<string>(new CommandDefinition(
            "SELECT code FROM catalog_skus WHERE code IN @list AND id <> @except", new { list, except = exceptSkuId ?? 0 }, cancellationToken: ct));
        return used.ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Inserts products and their SKUs in one transaction: all of them or none.</summary>
    public async Task<IReadOnlyList<long>> CreateAsync(IReadOnlyList<CreateProductRequest> products, DateTime now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var ids = new List<long>(products.Count);
        foreach (var p in products)
        {
            var id = await conn.ExecuteScalarAsync<long>(new CommandDefinition(InsertProductSql, new
            {
                p.CategoryId, p.Title, p.Subtitle, images = CatalogJson.Write(p.Images), p.Description, p.OnShelf, p.Sort,
                p.PointsPerYuan, p.FlashSale, now,
            }, tx, cancellationToken: ct));
            foreach (var s in p.Skus) await InsertSkuAsync(conn, tx, id, s, now, ct);
            await RefreshMinPriceAsync(conn, tx, id, now, ct);
            ids.Add(id);
        }
        await tx.CommitAsync(ct);
        return ids;
    }

    const string InsertProductSql = """
        INSERT INTO catalog_products (category_id, title, subtitle, images, description, on_shelf, sort, points_per_yuan, flash_sale, created_at, updated_at)
        VALUES (@categoryId, @title, @subtitle, @images, @description, @onShelf, @sort, @pointsPerYuan, @flashSale, @now, @now);
        SELECT LAST_INSERT_ID();
        """;

    const string InsertSkuSql = """
        INSERT INTO catalog_skus (product_id, spec, spec_key, price_fen, original_price_fen, stock, purchase_limit, code, sort, created_at, updated_at)
        VALUES (@productId, @spec, @specKey, @priceFen, @originalPriceFen, @stock, @purchaseLimit, @code, @sort, @now, @now);
        SELECT LAST_INSERT_ID();
        """;

    internal static Task<long> InsertSkuAsync(DbConnection conn, DbTransaction tx, long productId, SkuRequest s, DateTime now, CancellationToken ct) =>
        conn.ExecuteScalarAsync<long>(new CommandDefinition(InsertSkuSql, new
        {
            productId, spec = SpecJson(s.Spec), specKey = CatalogValidation.SpecKey(s.Spec), s.PriceFen, s.OriginalPriceFen,
            s.Stock, s.PurchaseLimit, s.Code, s.Sort, now,
        }, tx, cancellationToken: ct));

    internal static string SpecJson(IEnumerable<SpecValueRequest> spec) =>
        CatalogJson.Write(spec.Select(v => new SpecValue(v.Name.Trim(), v.Value.Trim())));

    const string MinPriceSql = """
        UPDATE catalog_products
        SET min_price_fen = COALESCE((SELECT MIN(price_fen) FROM catalog_skus WHERE product_id = @productId), 0),
            on_shelf = on_shelf AND EXISTS(SELECT 1 FROM catalog_skus WHERE product_id = @productId),
            updated_at = @now
        WHERE id = @productId
        """;

    /// <summary>Keeps the denormalised lowest price in step, and takes a product without SKUs off the shelf.</summary>
    internal static Task RefreshMinPriceAsync(DbConnection conn, DbTransaction tx, long productId, DateTime now, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(MinPriceSql, new { productId, now }, tx, cancellationToken: ct));

    const string UpdateSql = """
        UPDATE catalog_products SET category_id = @categoryId, title = @title, subtitle = @subtitle, images = @images,
            description = @description, sort = @sort, points_per_yuan = @pointsPerYuan, flash_sale = @flashSale, updated_at = @now
        WHERE id = @id
        """;

    public async Task<bool> UpdateAsync(long id, UpdateProductRequest p, DateTime now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var updated = await conn.ExecuteAsync(new CommandDefinition(UpdateSql, new
        {
            id, p.CategoryId, p.Title, p.Subtitle, images = CatalogJson.Write(p.Images), p.Description, p.Sort, p.PointsPerYuan, p.FlashSale, now,
        }, cancellationToken: ct)) == 1;
        if (updated) await gate.ForgetProductAsync(id, ct); // the flash-sale flag may have changed
        return updated;
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("DELETE FROM catalog_products WHERE id = @id", new { id }, cancellationToken: ct)) == 1;
    }

    const string ShelfSql = """
        UPDATE catalog_products SET on_shelf = @onShelf, updated_at = @now
        WHERE id = @id AND (@onShelf = 0 OR EXISTS(SELECT 1 FROM catalog_skus WHERE product_id = @id))
        """;

    /// <summary>A product goes on the shelf only with at least one SKU to sell.</summary>
    public async Task<ShelfResult> SetShelfAsync(long id, bool onShelf, DateTime now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        if (await conn.ExecuteAsync(new CommandDefinition(ShelfSql, new { id, onShelf, now }, cancellationToken: ct)) == 1) return ShelfResult.Done;
        var exists = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS(SELECT 1 FROM catalog_products WHERE id = @id)", new { id }, cancellationToken: ct));
        return exists ? ShelfResult.NoSkus : ShelfResult.NotFound;
    }
}
