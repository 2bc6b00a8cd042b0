using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Infrastructure.Caching;

public sealed class CachingOptions
{
    public const string SectionName = "Caching";

    /// <summary>
    /// Size limit of the in-process cache (HybridCache L1), in bytes of cached payload: past it, entries are evicted
    /// (least recently used first) instead of memory growing with every distinct request. Default 64 MB.
    /// </summary>
    [Range(1024, long.MaxValue)] public long LocalCacheMaxBytes { get; set; } = 64L * 1024 * 1024;
}
