using System.Text.Json;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Orders;

public sealed record OrderRef(long Id, string Status, string RefundState);

/// <summary>Search filters of the admin order list and export. Null members are not filtered on.</summary>
public sealed record OrderFilter(string? Status, long? MemberId, string? OrderNo, DateTime? From, DateTime? To);

/// <summary>Reads of orders for shoppers (always scoped by member) and operators.</summary>
public sealed class OrderQueries(MySqlDataSource db)
{
    sealed record OrderRow(long Id, string OrderNo, long MemberId, string Status, string RefundState, long GoodsFen, long DiscountFen,
        long PointsUsed, long PointsFen, long ShippingFen, long PayableFen, long RefundedFen, long PointsEarned, string? TierCode,
        string? Address, string? Remark, string? Carrier, string? TrackingNo, string? CancelReason, DateTime ExpiresAt,
        DateTime? PaidAt, DateTime? ShippedAt, DateTime? CompletedAt, DateTime? CancelledAt, DateTime CreatedAt, long CouponFen);

    sealed record LineRow(long Id, long SkuId, long ProductId, string Title, string Spec, string? ImageUrl, long UnitPriceFen,
        int Quantity, long PaidFen, int RefundedQuantity);

    const string DetailSql = """
        SELECT id, order_no, member_id, status, refund_state, goods_fen, discount_fen, points_used, points_fen, shipping_fen, payable_fen,
               refunded_fen, points_earned, tier_code, address, remark, carrier, tracking_no, cancel_reason, expires_at,
               paid_at, shipped_at, completed_at, cancelled_at, created_at, coupon_fen
        FROM orders WHERE order_no = @orderNo AND (@memberId IS NULL OR member_id = @memberId)
        """;

    // Read with the order in one round trip, so they find it by the same number and member scope.
    const string LinesSql = """
        SELECT l.id, l.sku_id, l.product_id, l.title, l.spec, l.image_url, l.unit_price_fen, l.quantity, l.paid_fen, l.refunded_quantity
        FROM order_lines l JOIN orders o ON o.id = l.order_id
        WHERE o.order_no = @orderNo AND (@memberId IS NULL OR o.member_id = @memberId) ORDER BY l.id
        """;

    const string EventsSql = """
        SELECT e.from_status, e.to_status, e.actor, e.note, e.created_at
        FROM order_events e JOIN orders o ON o.id = e.order_id
        WHERE o.order_no = @orderNo AND (@memberId IS NULL OR o.member_id = @memberId) ORDER BY e.id
        """;

    const string DetailBatchSql = DetailSql + ";\n" + LinesSql + ";\n" + EventsSql;

    // The summary columns; a correlated subquery per row is fine at page sizes of at most 100.
    const string SummaryColumns = """
        SELECT o.order_no, o.member_id, o.status, o.refund_state, o.goods_fen, o.payable_fen,
               CAST((SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l WHERE l.order_id = o.id) AS SIGNED) AS item_count,
               (SELECT l.title FROM order_lines l WHERE l.order_id = o.id ORDER BY l.id LIMIT 1) AS first_title,
               o.created_at, o.expires_at, o.paid_at
        FROM orders o
        """;

    const string FilterSql = """
        WHERE (@status IS NULL OR o.status = @status OR o.refund_state = @status) AND (@memberId IS NULL OR o.member_id = @memberId)
          AND (@orderNo IS NULL OR o.order_no = @orderNo) AND (@from IS NULL OR o.created_at >= @from)
          AND (@to IS NULL OR o.created_at < @to)
        """;

    const string PageSql = SummaryColumns + "\n" + FilterSql + "\nORDER BY o.id DESC LIMIT @take OFFSET @skip";

    /// <summary>One order with lines and events; <paramref name="memberId"/> null = any member (admin).</summary>
    public async Task<OrderDetailDto?> DetailAsync(long? memberId, string orderNo, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var grid = await c.QueryMultipleAsync(new CommandDefinition(DetailBatchSql, new { orderNo, memberId }, cancellationToken: ct));
        var o = await grid.ReadSingleOrDefaultAsync<OrderRow>();
        if (o is null) return null;
        var lines = await grid.ReadAsync<LineRow>();
        var events = await grid.ReadAsync<OrderEventDto>();
        return new OrderDetailDto(o.OrderNo, o.MemberId, o.Status, o.GoodsFen, o.DiscountFen, o.PointsUsed, o.PointsFen,
            o.ShippingFen, o.PayableFen, o.RefundedFen, o.PointsEarned, o.TierCode, Json(o.Address), o.Remark, o.Carrier,
            o.TrackingNo, o.CancelReason, o.ExpiresAt, o.PaidAt, o.ShippedAt, o.CompletedAt, o.CancelledAt, o.CreatedAt)
        {
            RefundState = o.RefundState,
            CouponFen = o.CouponFen,
            Lines = [.. lines.Select(l => new OrderLineDto(l.SkuId, l.ProductId, l.Title, Json(l.Spec)!.Value, l.ImageUrl,
                l.UnitPriceFen, l.Quantity, l.PaidFen, l.RefundedQuantity) { Id = l.Id })],
            Events = [.. events],
        };
    }

    public async Task<OrderPageDto> PageAsync(OrderFilter f, int page, int pageSize, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = (await c.QueryAsync<OrderSummaryDto>(new CommandDefinition(PageSql, new
        {
            status = f.Status, memberId = f.MemberId, orderNo = f.OrderNo, from = f.From, to = f.To,
            take = pageSize + 1, skip = (long)(page - 1) * pageSize,
        }, cancellationToken: ct))).ToList();
        var hasMore = rows.Count > pageSize;
        return new OrderPageDto([.. rows.Take(pageSize)], page, pageSize, hasMore);
    }

    /// <summary>Order id and status, scoped to the member (null when not theirs).</summary>
    public async Task<OrderRef?> FindAsync(long? memberId, string orderNo, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<OrderRef>(new CommandDefinition(
            "SELECT id, status, refund_state FROM orders WHERE order_no = @orderNo AND (@memberId IS NULL OR member_id = @memberId)",
            new { orderNo, memberId }, cancellationToken: ct));
    }

    static JsonElement? Json(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
