using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Offers;

/// <summary>
/// One template's numbers. Issued counts every coupon given out; Used/Locked/Available/Expired are their states now.
/// Orders and RevenueFen: orders paid with one of its coupons (revenue net of refunds); DiscountFen what they took off.
/// NewMembers: of those orders, how many were the member's first paid order; ReturningMembers the others.
/// </summary>
public sealed record CouponStatsDto(long TemplateId, string Title, int? TotalStock, int Issued, int Available, int Locked, int Used, int Expired,
    int Orders, long RevenueFen, long DiscountFen, int NewMembers, int ReturningMembers);

public sealed class CouponStats(MySqlDataSource db)
{
    const string StatesSql = """
        SELECT t.id AS TemplateId, t.title, t.total_stock, t.issued,
               CAST(COALESCE(SUM(mc.status = 'available'), 0) AS SIGNED) AS available, CAST(COALESCE(SUM(mc.status = 'locked'), 0) AS SIGNED) AS locked,
               CAST(COALESCE(SUM(mc.status = 'used'), 0) AS SIGNED) AS used, CAST(COALESCE(SUM(mc.status = 'expired'), 0) AS SIGNED) AS expired
        FROM coupon_templates t LEFT JOIN member_coupons mc ON mc.template_id = t.id
        WHERE t.id = @id GROUP BY t.id, t.title, t.total_stock, t.issued
        """;

    const string OrdersSql = """
        SELECT CAST(COUNT(*) AS SIGNED) AS orders, CAST(COALESCE(SUM(o.payable_fen - o.refunded_fen), 0) AS SIGNED) AS revenue,
               CAST(COALESCE(SUM(mc.discount_fen), 0) AS SIGNED) AS discount,
               CAST(COALESCE(SUM(m.first_paid_order_no = o.order_no), 0) AS SIGNED) AS new_members,
               CAST(COALESCE(SUM(m.first_paid_order_no IS NULL OR m.first_paid_order_no <> o.order_no), 0) AS SIGNED) AS returning_members
        FROM member_coupons mc JOIN orders o ON o.order_no = mc.order_no JOIN members m ON m.id = o.member_id
        WHERE mc.template_id = @id AND mc.status = 'used'
        """;

    sealed record States(long TemplateId, string Title, int? TotalStock, int Issued, long Available, long Locked, long Used, long Expired);

    public async Task<CouponStatsDto?> ForAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var s = await c.QuerySingleOrDefaultAsync<States>(new CommandDefinition(StatesSql, new { id }, cancellationToken: ct));
        if (s is null) return null;
        var o = await c.QuerySingleAsync<(long Orders, long Revenue, long Discount, long NewMembers, long ReturningMembers)>(
            new CommandDefinition(OrdersSql, new { id }, cancellationToken: ct));
        return new CouponStatsDto(s.TemplateId, s.Title, s.TotalStock, s.Issued, (int)s.Available, (int)s.Locked, (int)s.Used, (int)s.Expired,
            (int)o.Orders, o.Revenue, o.Discount, (int)o.NewMembers, (int)o.ReturningMembers);
    }
}
