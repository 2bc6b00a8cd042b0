using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Catalog;

public sealed record StockAdjustmentDto(long Id, long SkuId, int Delta, int StockAfter, string Reason, DateTimeOffset CreatedAt);

/// <summary>SKUs of existing products and their stock. Every change keeps the product's lowest price in step.</summary>
public sealed class SkuStore(MySqlDataSource db, FlashSaleGate gate)
{
    /// <summary>The product of the SKU, or null when the SKU does not exist.</summary>
    public async Task<long?> ProductOfAsync(long skuId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT product_id FROM catalog_skus WHERE id = @skuId", new { skuId }, cancellationToken: ct));
    }

    public async Task<bool> SpecTakenAsync(long productId, string specKey, long? exceptSkuId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS(SELECT 1 FROM catalog_skus WHERE product_id = @productId AND spec_key = @specKey AND id <> @except)",
            new { productId, specKey, except = exceptSkuId ?? 0 }, cancellationToken: ct));
    }

    /// <summary>The new SKU's id, or null when the product does not exist.</summary>
    public async Task<long?> AddAsync(long productId, SkuRequest sku, DateTime now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Lock the product row so a concurrent delete cannot leave an orphan and the lowest price stays right.
        var exists = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM catalog_products WHERE id = @productId FOR UPDATE", new { productId }, tx, cancellationToken: ct));
        if (exists is null) return null;
        var id = await ProductStore.InsertSkuAsync(conn, tx, productId, sku, now, ct);
        await ProductStore.RefreshMinPriceAsync(conn, tx, productId, now, ct);
        await tx.CommitAsync(ct);
        return id;
    }

    const string UpdateSql = """
        UPDATE catalog_skus SET spec = @spec, spec_key = @specKey, price_fen = @priceFen, original_price_fen = @originalPriceFen,
            code = @code, sort = @sort, purchase_limit = @purchaseLimit, updated_at = @now
        WHERE id = @skuId
        """;

    public async Task<bool> UpdateAsync(long skuId, long productId, SkuFieldsRequest s, DateTime now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var n = await conn.ExecuteAsync(new CommandDefinition(UpdateSql, new
        {
            skuId, spec = ProductStore.SpecJson(s.Spec), specKey = CatalogValidation.SpecKey(s.Spec), s.PriceFen, s.OriginalPriceFen,
            s.Code, s.Sort, s.PurchaseLimit, now,
        }, tx, cancellationToken: ct));
        if (n == 0) return false;
        await ProductStore.RefreshMinPriceAsync(conn, tx, productId, now, ct);
        await tx.CommitAsync(ct);
        await gate.ForgetAsync([skuId]); // purchase limit or the SKU itself changed
        return true;
    }

    public async Task<bool> DeleteAsync(long skuId, long productId, DateTime now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var n = await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM catalog_skus WHERE id = @skuId", new { skuId }, tx, cancellationToken: ct));
        if (n == 0) return false;
        await ProductStore.RefreshMinPriceAsync(conn, tx, productId, now, ct);
        await tx.CommitAsync(ct);
        await gate.ForgetAsync([skuId]); // purchase limit or the SKU itself changed
        return true;
    }

    const string RecordSql = """
        INSERT INTO catalog_stock_adjustments (sku_id, delta, stock_after, reason, created_at)
        SELECT id, @delta, stock, @reason, @now FROM catalog_skus WHERE id = @skuId;
        SELECT stock FROM catalog_skus WHERE id = @skuId;
        """;

    /// <summary>
    /// Adds delta (negative to remove) in one conditional update, so it never drives stock below zero even while
    /// orders take stock concurrently. Returns the new stock, or null when the SKU is missing or stock is short.
    /// </summary>
    public async Task<int?> AdjustStockAsync(long skuId, int delta, string reason, DateTime now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (!await Stock.AdjustAsync(conn, tx, skuId, delta, now, ct)) return null;
        var stock = await conn.ExecuteScalarAsync<int>(new CommandDefinition(RecordSql, new { skuId, delta, reason, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        await gate.ForgetAsync([skuId]);
        return stock;
    }

    const string AdjustmentsSql = """
        SELECT id, sku_id, delta, stock_after, reason, created_at FROM catalog_stock_adjustments
        WHERE sku_id = @skuId ORDER BY id DESC LIMIT 200
        """;

    public async Task<IReadOnlyList<StockAdjustmentDto>> AdjustmentsAsync(long skuId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<AdjustmentRow>(new CommandDefinition(AdjustmentsSql, new { skuId }, cancellationToken: ct));
        // DATETIME carries no zone: the column is UTC by convention.
        return rows.Select(r => new StockAdjustmentDto(r.Id, r.SkuId, r.Delta, r.StockAfter, r.Reason,
            new DateTimeOffset(DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc)))).ToList();
    }

    sealed record AdjustmentRow
    {
        public long Id { get; init; }
        public long SkuId { get; init; }
        public int Delta { get; init; }
        public int StockAfter { get; init; }
        public string Reason { get; init; } = "";
        public DateTime CreatedAt { get; init; }
    }
}
