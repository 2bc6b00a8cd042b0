using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Audience.Marketplace;

public sealed class MarketplaceOptions
{
    public const string SectionName = "Marketplace";

    /// <summary>An imported order joining a member (matched at import or claimed) earns points and counts toward the tier, once.</summary>
    public bool CountTowardLoyalty { get; set; }

    /// <summary>Rows (after the header) one import may hold.</summary>
    [Range(1, 1_000_000)] public int MaxImportRows { get; set; } = 50_000;

    /// <summary>Largest upload, in bytes.</summary>
    [Range(1024, 512L * 1024 * 1024)] public long MaxImportBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Failed claims (unknown order, wrong last four digits, someone else's) one member may make per window.</summary>
    [Range(1, 10_000)] public int ClaimFailuresPerWindow { get; set; } = 5;

    /// <summary>Failed claims one client IP may make per window (all members behind it together).</summary>
    [Range(1, 100_000)] public int ClaimIpFailuresPerWindow { get; set; } = 50;

    [Range(1, 24 * 60)] public int ClaimWindowMinutes { get; set; } = 60;
}
