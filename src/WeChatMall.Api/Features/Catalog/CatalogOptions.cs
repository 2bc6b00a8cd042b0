using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Catalog;

public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>Lifetime of catalog entries in Redis (L2). Admin writes invalidate them long before.</summary>
    [Range(1, 86400)] public int CacheSeconds { get; set; } = 300;

    /// <summary>Lifetime of catalog entries in process memory (L1).</summary>
    [Range(1, 3600)] public int LocalCacheSeconds { get; set; } = 60;

    /// <summary>Product details (with stock) are rebuilt at most this often, in process: the staleness bound of the stock shown.</summary>
    [Range(0, 30)] public int StockCacheSeconds { get; set; } = 2;

    /// <summary>How often each instance re-reads the catalog generation, a backstop for a lost pub/sub message.</summary>
    [Range(1, 60)] public int GenerationPollSeconds { get; set; } = 1;

    [Range(1, 100000)] public int MaxImportRows { get; set; } = 5000;
}
