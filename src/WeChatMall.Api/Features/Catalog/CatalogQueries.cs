using System.Text.Json;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>Catalog reads straight from MySQL: the cache's source and the benchmark's uncached path.</summary>
public sealed class CatalogQueries(MySqlDataSource db)
{
    const string CategoriesSql = "SELECT id, parent_id, name, sort, icon_url FROM catalog_categories ORDER BY sort, id";

    public async Task<CategoryTree> CategoryTreeAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<CategoryRow>(new CommandDefinition(CategoriesSql, cancellationToken: ct))).ToList();
        var byParent = rows.ToLookup(r => r.ParentId);
        IReadOnlyList<CategoryNode> Children(long? parent) =>
            byParent[parent].Select(r => new CategoryNode(r.Id, r.ParentId, r.Name, r.Sort, r.IconUrl, Children(r.Id))).ToList();
        return new CategoryTree(Children(null));
    }

    const string ProductSql = """
        SELECT id, category_id, title, subtitle, images, description, on_shelf, sort, points_per_yuan, min_price_fen, sales, flash_sale
        FROM catalog_products WHERE id = @id;
        SELECT id, spec, price_fen, original_price_fen, code, stock, purchase_limit FROM catalog_skus WHERE product_id = @id ORDER BY sort, id;
        """;

    /// <summary>The product with its SKUs, or null when missing (or off shelf, unless <paramref name="includeOffShelf"/>).</summary>
    public async Task<ProductInfo?> ProductAsync(long id, bool includeOffShelf, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(ProductSql, new { id }, cancellationToken: ct));
        var p = await grid.ReadSingleOrDefaultAsync<ProductRow>();
        if (p is null || (!p.OnShelf && !includeOffShelf)) return null;
        var skus = (await grid.ReadAsync<SkuRow>()).Select(s =>
            new SkuInfo(s.Id, CatalogJson.Spec(s.Spec), s.PriceFen, s.OriginalPriceFen, s.Code, s.PurchaseLimit)).ToList();
        return new ProductInfo(p.Id, p.CategoryId, p.Title, p.Subtitle, CatalogJson.Images(p.Images), p.Description,
            p.OnShelf, p.Sort, p.PointsPerYuan, p.MinPriceFen, p.Sales, skus, p.FlashSale);
    }

    const string StockSql = "SELECT id, stock FROM catalog_skus WHERE product_id = @productId";

    public async Task<StockSnapshot> StockAsync(long productId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(long Id, int Stock)>(new CommandDefinition(StockSql, new { productId }, cancellationToken: ct));
        return new StockSnapshot(rows.ToDictionary(r => r.Id, r => r.Stock));
    }

    // ORDER BY comes only from this whitelist; every value is a parameter.
    static readonly Dictionary<string, string> Orders = new()
    {
        ["default"] = "p.sort ASC, p.id DESC",
        ["sales"] = "p.sales DESC, p.id DESC",
        ["price_asc"] = "p.min_price_fen ASC, p.id ASC",
        ["price_desc"] = "p.min_price_fen DESC, p.id DESC",
        ["newest"] = "p.created_at DESC, p.id DESC",
    };

    public static IReadOnlyCollection<string> Sorts => Orders.Keys;

    /// <summary>Products of the given categories (null = all), matching the keyword, one page; on shelf unless the
    /// admin asks otherwise (<paramref name="onShelf"/> null = both).</summary>
    public async Task<ProductPage> ListAsync(
        IReadOnlyList<long>? categoryIds, string? keyword, string sort, int page, int pageSize, CancellationToken ct, bool? onShelf = true)
    {
        if (categoryIds is { Count: 0 }) return new ProductPage([], page, pageSize, false);
        var sql = $"""
            SELECT p.id, p.category_id, p.title, p.subtitle, JSON_UNQUOTE(JSON_EXTRACT(p.images, '$[0]')) AS cover_image,
                   p.min_price_fen, p.sales, p.on_shelf
            FROM catalog_products p
            WHERE {(onShelf is null ? "1 = 1" : "p.on_shelf = @onShelf")} {(categoryIds is null ? "" : "AND p.category_id IN @categoryIds")}
              {(string.IsNullOrEmpty(keyword) ? "" : "AND p.title LIKE @like")}
            ORDER BY {Orders[sort]} LIMIT @limit OFFSET @offset
            """;
        var like = "%" + EscapeLike(keyword ?? "") + "%";
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<SummaryRow>(new CommandDefinition(sql,
            new { categoryIds, like, onShelf, limit = pageSize + 1, offset = (long)(page - 1) * pageSize }, cancellationToken: ct))).ToList();
        var items = rows.Take(pageSize)
            .Select(r => new ProductSummary(r.Id, r.CategoryId, r.Title, r.Subtitle, r.CoverImage, r.MinPriceFen, r.Sales, r.OnShelf)).ToList();
        return new ProductPage(items, page, pageSize, rows.Count > pageSize);
    }

    static string EscapeLike(string s) => s.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    sealed record CategoryRow
    {
        public long Id { get; init; }
        public long? ParentId { get; init; }
        public string Name { get; init; } = "";
        public int Sort { get; init; }
        public string? IconUrl { get; init; }
    }

    sealed record ProductRow
    {
        public long Id { get; init; }
        public long CategoryId { get; init; }
        public string Title { get; init; } = "";
        public string? Subtitle { get; init; }
        public string Images { get; init; } = "[]";
        public string? Description { get; init; }
        public bool OnShelf { get; init; }
        public int Sort { get; init; }
        public int? PointsPerYuan { get; init; }
        public long MinPriceFen { get; init; }
        public int Sales { get; init; }
        public bool FlashSale { get; init; }
    }

    sealed record SkuRow
    {
        public long Id { get; init; }
        public string Spec { get; init; } = "[]";
        public long PriceFen { get; init; }
        public long? OriginalPriceFen { get; init; }
        public string? Code { get; init; }
        public int Stock { get; init; }
        public int? PurchaseLimit { get; init; }
    }

    sealed record SummaryRow
    {
        public long Id { get; init; }
        public long CategoryId { get; init; }
        public string Title { get; init; } = "";
        public string? Subtitle { get; init; }
        public string? CoverImage { get; init; }
        public long MinPriceFen { get; init; }
        public int Sales { get; init; }
        public bool OnShelf { get; init; }
    }
}

/// <summary>How images and specs are stored in their JSON columns.</summary>
public static class CatalogJson
{
    public static IReadOnlyList<string> Images(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];

    public static IReadOnlyList<SpecValue> Spec(string json) =>
        JsonSerializer.Deserialize<List<SpecValue>>(json, JsonSerializerOptions.Web) ?? [];

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
}
