using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Orders;

public sealed class OrderOptions
{
    public const string SectionName = "Orders";

    /// <summary>An order unpaid this long after it was placed is cancelled by the expiry job (stock and points returned).</summary>
    [Range(1, 24 * 60)] public int PaymentMinutes { get; set; } = 15;

    /// <summary>Flat shipping fee in fen added to every order (0 = free shipping).</summary>
    [Range(0, 1_000_000)] public long ShippingFeeFen { get; set; }

    /// <summary>Shipping is free when the goods after the tier discount reach this many fen (0 = no threshold).</summary>
    [Range(0, 100_000_000)] public long FreeShippingFromFen { get; set; }

    /// <summary>Most distinct SKUs in a cart and in one order.</summary>
    [Range(1, 200)] public int MaxLines { get; set; } = 50;

    /// <summary>Most units of one SKU in a cart line or order line.</summary>
    [Range(1, 10_000)] public int MaxQuantity { get; set; } = 99;

    /// <summary>Most unpaid (not yet expired) orders one member may have open; one more is 409 TOO_MANY_OPEN_ORDERS.</summary>
    [Range(1, 1000)] public int MaxOpenUnpaidOrders { get; set; } = 3;

    /// <summary>Most saved shipping addresses per member.</summary>
    [Range(1, 100)] public int MaxAddresses { get; set; } = 20;

    [Range(1, 1000)] public int JobBatchSize { get; set; } = 100;

    /// <summary>A shipped order the shopper has not confirmed completes automatically after this many days.</summary>
    [Range(1, 365)] public int AutoCompleteDays { get; set; } = 10;

    /// <summary>Most rows one CSV export writes (narrow the date range for more).</summary>
    [Range(1, 1_000_000)] public int ExportMaxRows { get; set; } = 100_000;
}
