using System.Data.Common;
using Dapper;

namespace WeChatMall.Api.Features.Offers;

public sealed record NewMemberCoupon(long TemplateId, long MemberId, int Seq, string Source, string? SourceRef, DateTime ValidFrom, DateTime ValidTo);

/// <summary>
/// The only writer of member_coupons and coupon_events, in the caller's transaction: a coupon is created available,
/// and every later move is one conditional UPDATE (… WHERE status = @from) plus an event row. Zero rows means another
/// transaction moved it first: the caller treats that as "not available", never as an error.
/// </summary>
public static class CouponTransitions
{
    const string InsertSql = """
        INSERT INTO member_coupons (template_id, member_id, seq, status, source, source_ref, valid_from, valid_to, created_at, updated_at)
        VALUES (@TemplateId, @MemberId, @Seq, 'available', @Source, @SourceRef, @ValidFrom, @ValidTo, @now, @now);
        SELECT LAST_INSERT_ID();
        """;

    const string EventSql = """
        INSERT INTO coupon_events (coupon_id, from_status, to_status, order_no, note, created_at)
        VALUES (@couponId, @from, @to, @orderNo, @note, @now)
        """;

    /// <summary>A new available coupon; throws a duplicate-key error if (template, member, seq) is taken (the per-member limit's guard).</summary>
    public static async Task<long> InsertAsync(DbConnection c, DbTransaction tx, NewMemberCoupon coupon, DateTime now, CancellationToken ct)
    {
        var p = new DynamicParameters(coupon);
        p.Add("now", now);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(InsertSql, p, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(EventSql,
            new { couponId = id, from = (string?)null, to = CouponStatus.Available, orderNo = (string?)null, note = coupon.Source, now }, tx, cancellationToken: ct));
        return id;
    }

    /// <summary>
    /// Moves the coupon from <paramref name="from"/> to <paramref name="to"/>. Locking sets order_no and discount_fen;
    /// using sets used_at; going back to available keeps order_no (the last order it was locked with).
    /// </summary>
    public static async Task<bool> TryMoveAsync(DbConnection c, DbTransaction tx, long couponId, string from, string to, string? orderNo,
        string? note, DateTime now, CancellationToken ct, long discountFen = 0)
    {
        if (!CouponStatus.CanMove(from, to)) throw new InvalidOperationException($"Coupon transition {from} → {to} is not allowed.");
        var set = to switch
        {
            CouponStatus.Locked => ", order_no = @orderNo, discount_fen = @discountFen",
            CouponStatus.Used => ", used_at = @now",
            CouponStatus.Available => ", used_at = NULL",
            _ => "",
        };
        var moved = await c.ExecuteAsync(new CommandDefinition(
            $"UPDATE member_coupons SET status = @to, updated_at = @now{set} WHERE id = @couponId AND status = @from",
            new { couponId, from, to, orderNo, discountFen, now }, tx, cancellationToken: ct));
        if (moved == 0) return false;
        await c.ExecuteAsync(new CommandDefinition(EventSql, new { couponId, from, to, orderNo, note, now }, tx, cancellationToken: ct));
        return true;
    }

    /// <summary>
    /// A member merge: the merged member's coupons now belong to the survivor. Their seq moves out of the 1..limit range
    /// (1,000,000 + id, unique because ids are), so they count against the survivor's limit without colliding with its own.
    /// </summary>
    public static Task<int> MoveToMemberAsync(DbConnection c, DbTransaction tx, long fromMemberId, long toMemberId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "UPDATE member_coupons SET member_id = @toMemberId, seq = 1000000 + id WHERE member_id = @fromMemberId",
            new { fromMemberId, toMemberId }, tx, cancellationToken: ct));
}
