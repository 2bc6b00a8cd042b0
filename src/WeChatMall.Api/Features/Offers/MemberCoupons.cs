using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Offers;

/// <summary>A coupon in the member's wallet, with its template's rule. OrderNo: the order it is locked with or used by.</summary>
public sealed record MemberCouponDto(long Id, long TemplateId, string Title, string Description, string Kind, long AmountOffFen, int PercentOff,
    long? MaxDiscountFen, long ThresholdFen, bool CombinableWithTier, string Status, string Source, DateTime ValidFrom, DateTime ValidTo,
    string? OrderNo, DateTime CreatedAt);

/// <summary>Reads of member coupons (the wallet); always scoped by member.</summary>
public sealed class MemberCoupons(MySqlDataSource db)
{
    const string Sql = """
        SELECT mc.id, mc.template_id, t.title, t.description, t.kind, t.amount_off_fen, t.percent_off, t.max_discount_fen, t.threshold_fen,
               t.combinable_with_tier, mc.status, mc.source, mc.valid_from, mc.valid_to,
               CASE WHEN mc.status IN ('locked', 'used') THEN mc.order_no END AS order_no, mc.created_at
        FROM member_coupons mc JOIN coupon_templates t ON t.id = mc.template_id
        WHERE mc.member_id = @memberId AND (@status IS NULL OR mc.status = @status) AND (@id IS NULL OR mc.id = @id)
        ORDER BY mc.status = 'available' DESC, mc.valid_to, mc.id LIMIT 500
        """;

    public async Task<IReadOnlyList<MemberCouponDto>> ListAsync(long memberId, string? status, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<MemberCouponDto>(new CommandDefinition(Sql, new { memberId, status, id = (long?)null }, cancellationToken: ct))];
    }

    public async Task<MemberCouponDto?> FindAsync(long memberId, long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<MemberCouponDto>(new CommandDefinition(Sql, new { memberId, status = (string?)null, id }, cancellationToken: ct));
    }

    /// <summary>The template with this redeem code, if any.</summary>
    public async Task<long?> TemplateByCodeAsync(string code, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM coupon_templates WHERE redeem_code = @code", new { code }, cancellationToken: ct));
    }
}
