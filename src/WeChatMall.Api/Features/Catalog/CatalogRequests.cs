using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Catalog;

public sealed class CategoryRequest
{
    [Required, StringLength(64, MinimumLength = 1)] public string Name { get; init; } = "";
    [Range(1, long.MaxValue)] public long? ParentId { get; init; }
    public int Sort { get; init; }
    [Url, StringLength(512)] public string? IconUrl { get; init; }
}

public sealed class SpecValueRequest
{
    [Required, StringLength(32, MinimumLength = 1)] public string Name { get; init; } = "";
    [Required, StringLength(32, MinimumLength = 1)] public string Value { get; init; } = "";
}

/// <summary>A SKU's editable fields. Stock changes only through stock adjustments (with a reason).</summary>
public class SkuFieldsRequest
{
    /// <summary>Spec values, e.g. colour=red, size=M; empty for a product with a single SKU.</summary>
    [Required, MaxLength(5)] public List<SpecValueRequest> Spec { get; init; } = [];
    [Range(1d, 1e10)] public long PriceFen { get; init; }
    [Range(1d, 1e10)] public long? OriginalPriceFen { get; init; }
    [StringLength(64, MinimumLength = 1), RegularExpression("^[A-Za-z0-9_.-]+$")] public string? Code { get; init; }
    public int Sort { get; init; }
    /// <summary>限购: most units one member may hold in orders that are not cancelled; null = no limit.</summary>
    [Range(1, 1_000_000)] public int? PurchaseLimit { get; init; }
}

public sealed class SkuRequest : SkuFieldsRequest
{
    [Range(0, 10_000_000)] public int Stock { get; init; }
}

public class ProductFieldsRequest
{
    [Range(1, long.MaxValue)] public long CategoryId { get; init; }
    [Required, StringLength(128, MinimumLength = 1)] public string Title { get; init; } = "";
    [StringLength(256)] public string? Subtitle { get; init; }
    [Required, MaxLength(20)] public List<string> Images { get; init; } = [];
    [StringLength(20000)] public string? Description { get; init; }
    public int Sort { get; init; }
    /// <summary>Points earned per yuan paid for this product; null = the store-wide rule.</summary>
    [Range(0, 10000)] public int? PointsPerYuan { get; init; }
    /// <summary>A flash-sale (秒杀) product: its SKUs go through the Redis stock gate and no coupon applies to them.</summary>
    public bool FlashSale { get; init; }
}

public sealed class CreateProductRequest : ProductFieldsRequest
{
    public bool OnShelf { get; init; }
    [Required, MinLength(1), MaxLength(200)] public List<SkuRequest> Skus { get; init; } = [];
}

public sealed class UpdateProductRequest : ProductFieldsRequest;

public sealed class StockAdjustmentRequest
{
    [Range(-10_000_000, 10_000_000)] public int Delta { get; init; }
    [Required, StringLength(255, MinimumLength = 1)] public string Reason { get; init; } = "";
}
