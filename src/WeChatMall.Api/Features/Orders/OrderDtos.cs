using System.Text.Json;

namespace WeChatMall.Api.Features.Orders;

public sealed record OrderLineDto(long SkuId, long ProductId, string Title, JsonElement Spec, string? ImageUrl,
    long UnitPriceFen, int Quantity, long PaidFen, int RefundedQuantity)
{
    /// <summary>The line's id: a refund names the goods that come back by it (lineId) or by skuId.</summary>
    public long Id { get; init; }
}

public sealed record OrderEventDto(string? FromStatus, string ToStatus, string Actor, string? Note, DateTime CreatedAt);

/// <summary>Status is the fulfilment status; RefundState is none, partially_refunded or refunded (see docs/refunds.md).</summary>
public sealed record OrderSummaryDto(string OrderNo, long MemberId, string Status, string RefundState, long GoodsFen, long PayableFen,
    long ItemCount, string? FirstTitle, DateTime CreatedAt, DateTime ExpiresAt, DateTime? PaidAt);

public sealed record OrderDetailDto(string OrderNo, long MemberId, string Status, long GoodsFen, long DiscountFen,
    long PointsUsed, long PointsFen, long ShippingFen, long PayableFen, long RefundedFen, long PointsEarned, string? TierCode,
    JsonElement? Address, string? Remark, string? Carrier, string? TrackingNo, string? CancelReason, DateTime ExpiresAt,
    DateTime? PaidAt, DateTime? ShippedAt, DateTime? CompletedAt, DateTime? CancelledAt, DateTime CreatedAt)
{
    /// <summary>none, partially_refunded or refunded: money gone back, apart from the fulfilment status (docs/refunds.md).</summary>
    public string RefundState { get; init; } = OrderRefundState.None;
    /// <summary>The coupon's discount (after DiscountFen, the tier discount; before points). See docs/offers.md.</summary>
    public long CouponFen { get; init; }
    public IReadOnlyList<OrderLineDto> Lines { get; init; } = [];
    public IReadOnlyList<OrderEventDto> Events { get; init; } = [];
}

public sealed record OrderPageDto(IReadOnlyList<OrderSummaryDto> Items, int Page, int PageSize, bool HasMore);
