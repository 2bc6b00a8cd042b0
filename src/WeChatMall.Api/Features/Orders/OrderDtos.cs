using System.Text.Json;

namespace WeChatMall.Api.Features.Orders;

public sealed record OrderLineDto(long SkuId, long ProductId, string Title, JsonElement Spec, string? ImageUrl,
    long UnitPriceFen, int Quantity, long PaidFen, int RefundedQuantity);

public sealed record OrderEventDto(string? FromStatus, string ToStatus, string Actor, string? Note, DateTime CreatedAt);

public sealed record OrderSummaryDto(string OrderNo, long MemberId, string Status, long GoodsFen, long PayableFen,
    long ItemCount, string? FirstTitle, DateTime CreatedAt, DateTime ExpiresAt, DateTime? PaidAt);

public sealed record OrderDetailDto(string OrderNo, long MemberId, string Status, long GoodsFen, long DiscountFen,
    long PointsUsed, long PointsFen, long ShippingFen, long PayableFen, long RefundedFen, long PointsEarned, string? TierCode,
    JsonElement? Address, string? Remark, string? Carrier, string? TrackingNo, string? CancelReason, DateTime ExpiresAt,
    DateTime? PaidAt, DateTime? ShippedAt, DateTime? CompletedAt, DateTime? CancelledAt, DateTime CreatedAt)
{
    public IReadOnlyList<OrderLineDto> Lines { get; init; } = [];
    public IReadOnlyList<OrderEventDto> Events { get; init; } = [];
}

public sealed record OrderPageDto(IReadOnlyList<OrderSummaryDto> Items, int Page, int PageSize, bool HasMore);
