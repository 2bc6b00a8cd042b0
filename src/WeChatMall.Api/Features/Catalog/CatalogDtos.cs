using System.ComponentModel;

namespace WeChatMall.Api.Features.Catalog;

// Types marked [ImmutableObject(true)] are handed out by HybridCache as the same instance on every L1 hit
// (no copy per request): never mutate them.

public sealed record SpecValue(string Name, string Value);

[ImmutableObject(true)]
public sealed record CategoryNode(long Id, long? ParentId, string Name, int Sort, string? IconUrl, IReadOnlyList<CategoryNode> Children);

[ImmutableObject(true)]
public sealed record CategoryTree(IReadOnlyList<CategoryNode> Roots)
{
    /// <summary>The category and all its descendants, or empty when it does not exist.</summary>
    public IReadOnlyList<long> Subtree(long id)
    {
        var start = Find(Roots, id);
        if (start is null) return [];
        var ids = new List<long>();
        var stack = new Stack<CategoryNode>([start]);
        while (stack.TryPop(out var n))
        {
            ids.Add(n.Id);
            foreach (var c in n.Children) stack.Push(c);
        }
        return ids;
    }

    static CategoryNode? Find(IReadOnlyList<CategoryNode> nodes, long id)
    {
        foreach (var n in nodes)
        {
            if (n.Id == id) return n;
            if (Find(n.Children, id) is { } found) return found;
        }
        return null;
    }
}

public sealed record ProductSummary(
    long Id, long CategoryId, string Title, string? Subtitle, string? CoverImage, long MinPriceFen, int Sales, bool OnShelf);

[ImmutableObject(true)]
public sealed record ProductPage(IReadOnlyList<ProductSummary> Items, int Page, int PageSize, bool HasMore);

public sealed record SkuInfo(long Id, IReadOnlyList<SpecValue> Spec, long PriceFen, long? OriginalPriceFen, string? Code, int? PurchaseLimit = null);

/// <summary>A product as cached: everything but stock, which changes too often to live this long.</summary>
[ImmutableObject(true)]
public sealed record ProductInfo(
    long Id, long CategoryId, string Title, string? Subtitle, IReadOnlyList<string> Images, string? Description,
    bool OnShelf, int Sort, int? PointsPerYuan, long MinPriceFen, int Sales, IReadOnlyList<SkuInfo> Skus, bool FlashSale = false);

public sealed record StockSnapshot(IReadOnlyDictionary<long, int> BySku);

/// <summary>A product detail as served: built once per StockCacheSeconds and written as is to every caller.</summary>
[ImmutableObject(true)]
public sealed record ProductView(ProductDetailDto Dto, byte[] Utf8Json);

/// <summary>PurchaseLimit (限购): most units one member may buy over all their orders that are not cancelled; null = none.</summary>
public sealed record SkuDto(long Id, IReadOnlyList<SpecValue> Spec, long PriceFen, long? OriginalPriceFen, string? Code, int Stock, int? PurchaseLimit = null);

/// <summary>
/// Product detail with stock. Stock is for display only: ordering re-checks and takes it in the database.
/// Tier prices (members issue) would be applied to this DTO per member, after the cache (see IMemberPricing).
/// </summary>
public sealed record ProductDetailDto(
    long Id, long CategoryId, string Title, string? Subtitle, IReadOnlyList<string> Images, string? Description,
    bool OnShelf, int Sort, int? PointsPerYuan, long MinPriceFen, int Sales, IReadOnlyList<SkuDto> Skus, bool FlashSale = false)
{
    public static ProductDetailDto Compose(ProductInfo p, StockSnapshot stock) => new(
        p.Id, p.CategoryId, p.Title, p.Subtitle, p.Images, p.Description, p.OnShelf, p.Sort, p.PointsPerYuan, p.MinPriceFen, p.Sales,
        p.Skus.Select(s => new SkuDto(s.Id, s.Spec, s.PriceFen, s.OriginalPriceFen, s.Code,
            stock.BySku.TryGetValue(s.Id, out var n) ? Math.Max(n, 0) : 0, s.PurchaseLimit)).ToList(), p.FlashSale);
}
