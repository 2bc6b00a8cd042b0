using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>The flash-sale stock gate (<see cref="FlashSaleGate"/>, docs/flash-sale.md).</summary>
public sealed class FlashSaleOptions
{
    public const string SectionName = "FlashSale";

    /// <summary>
    /// Lifetime of a SKU's gate in Redis: it is rebuilt from MySQL at least this often, which bounds how long a unit
    /// the gate lost track of (an instance killed between its reservation and its order) stays unsellable.
    /// </summary>
    [Range(5, 86400)] public int GateTtlSeconds { get; set; } = 300;

    /// <summary>How long an attempt waits for another instance's rebuild of a missing gate before going to MySQL without it.</summary>
    [Range(0, 5000)] public int RebuildWaitMs { get; set; } = 500;

    /// <summary>
    /// How long an instance remembers that a SKU's gate answered sold out, refusing its attempts without Redis
    /// (<see cref="FlashSaleSoldOut"/>); units going back to the gate clear it on every instance at once. 0 = off.
    /// </summary>
    [Range(0, 10000)] public int SoldOutMemoryMilliseconds { get; set; } = 300;

    /// <summary>
    /// Orders of one flash-sale SKU that passed its gate and that one instance places in MySQL at the same time
    /// (<see cref="FlashSalePlacements"/>); the others wait their turn in the instance.
    /// </summary>
    [Range(1, 256)] public int PlacementsPerSku { get; set; } = 2;
}
