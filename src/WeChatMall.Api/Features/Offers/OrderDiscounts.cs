using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Features.Orders;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Offers;

/// <summary>Coupons at checkout, behind Orders' <see cref="IOrderDiscounts"/> contract (Orders never sees this class).</summary>
public sealed class OrderDiscounts(IOptions<OffersOptions> options) : IOrderDiscounts
{
    sealed record HeldCoupon(long Id, long MemberId, long TemplateId, string Status, DateTime ValidFrom, DateTime ValidTo);

    const string HeldSql = "SELECT id, member_id, template_id, status, valid_from, valid_to FROM member_coupons";

    public async Task<IReadOnlyList<CouponDiscount>> ApplicableAsync(DbConnection c, DbTransaction? tx, long memberId, IReadOnlyList<DiscountLine> lines,
        long tierFen, DateTime now, CancellationToken ct)
    {
        var held = await c.QueryAsync<HeldCoupon>(new CommandDefinition(
            HeldSql + " WHERE member_id = @memberId AND status = 'available' AND valid_from <= @now AND valid_to > @now ORDER BY valid_to LIMIT 200",
            new { memberId, now }, tx, cancellationToken: ct));
        var result = new List<CouponDiscount>();
        foreach (var byTemplate in held.GroupBy(h => h.TemplateId))
        {
            if (await CouponTemplateStore.FindAsync(c, tx, byTemplate.Key, ct) is not { } t) continue;
            // The one expiring first of each template is the one to use.
            if (CouponRules.Compute(t, byTemplate.First().Id, lines, tierFen).Discount is { } d) result.Add(d);
        }
        return [.. result.OrderByDescending(Saving(tierFen)).ThenBy(d => d.MemberCouponId)];
    }

    // What the shopper saves against the tier price alone: a coupon that replaces the tier discount gives it up.
    static Func<CouponDiscount, long> Saving(long tierFen) => d => d.KeepsTierDiscount ? d.DiscountFen : d.DiscountFen - tierFen;

    public Task<CouponCheck> CheckAsync(DbConnection c, DbTransaction? tx, long memberId, long memberCouponId, IReadOnlyList<DiscountLine> lines,
        long tierFen, DateTime now, CancellationToken ct) => CheckAsync(c, tx, memberId, memberCouponId, lines, tierFen, now, locking: false, ct);

    public async Task<CouponCheck> LockAsync(DbConnection c, DbTransaction tx, long memberId, long memberCouponId, string orderNo,
        IReadOnlyList<DiscountLine> lines, long tierFen, DateTime now, CancellationToken ct)
    {
        var check = await CheckAsync(c, tx, memberId, memberCouponId, lines, tierFen, now, locking: true, ct);
        if (check is CouponCheck.Applies a && !await CouponTransitions.TryMoveAsync(c, tx, memberCouponId, CouponStatus.Available,
                CouponStatus.Locked, orderNo, "locked with order", now, ct, a.Discount.DiscountFen))
            return NotAvailable();
        return check;
    }

    async Task<CouponCheck> CheckAsync(DbConnection c, DbTransaction? tx, long memberId, long memberCouponId, IReadOnlyList<DiscountLine> lines,
        long tierFen, DateTime now, bool locking, CancellationToken ct)
    {
        // The locking read waits for an order that holds the coupon right now, then sees what it did.
        var coupon = await c.QuerySingleOrDefaultAsync<HeldCoupon>(new CommandDefinition(
            HeldSql + " WHERE id = @memberCouponId AND member_id = @memberId" + (locking ? " FOR UPDATE" : ""),
            new { memberCouponId, memberId }, tx, cancellationToken: ct));
        if (coupon is null) return new CouponCheck.Refused(Problems.Unprocessable("COUPON_NOT_FOUND", "No such coupon in your wallet"));
        if (coupon.Status != CouponStatus.Available || coupon.ValidTo <= now) return NotAvailable(coupon.Status);
        if (coupon.ValidFrom > now)
            return new CouponCheck.Refused(Problems.Conflict("COUPON_NOT_YET_VALID", "This coupon cannot be used yet", $"It is valid from {coupon.ValidFrom:u}."));
        var t = (await CouponTemplateStore.FindAsync(c, tx, coupon.TemplateId, ct))!;
        var (discount, whyNot) = CouponRules.Compute(t, coupon.Id, lines, tierFen);
        return discount is null
            ? new CouponCheck.Refused(Problems.Unprocessable("COUPON_NOT_APPLICABLE", "This coupon does not apply to this order", whyNot))
            : new CouponCheck.Applies(discount);
    }

    static CouponCheck.Refused NotAvailable(string? status = null) => new(Problems.Conflict("COUPON_NOT_AVAILABLE",
        "This coupon is not available", status is null ? "Another order took it first." : $"It is {status}."));

    public async Task OnOrderPaidAsync(DbConnection c, DbTransaction tx, string orderNo, long memberId, long payableFen, DateTime now, CancellationToken ct)
    {
        foreach (var coupon in await OrderCouponsAsync(c, tx, orderNo, ct))
            if (coupon.Status is CouponStatus.Locked or CouponStatus.Available) // available: a late payment revived a cancelled order
                await CouponTransitions.TryMoveAsync(c, tx, coupon.Id, coupon.Status, CouponStatus.Used, orderNo, "order paid", now, ct);

        var o = options.Value;
        if (o.DrawChancesPerPaidOrder > 0) await DrawChances.AddAsync(c, tx, memberId, o.DrawChancesPerPaidOrder, ct);
        // 满额赠: every active template with a paid-order threshold the order reaches; sold out or over the limit is skipped.
        var gifts = await c.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM coupon_templates WHERE active AND gift_on_paid_from_fen IS NOT NULL AND gift_on_paid_from_fen <= @payableFen ORDER BY id",
            new { payableFen }, tx, cancellationToken: ct));
        foreach (var templateId in gifts)
            await CouponIssuer.IssueAsync(c, tx, templateId, memberId, "order_paid", orderNo, now, ct);
    }

    public async Task OnOrderReleasedAsync(DbConnection c, DbTransaction tx, string orderNo, string reason, DateTime now, CancellationToken ct)
    {
        foreach (var coupon in await OrderCouponsAsync(c, tx, orderNo, ct))
            if (coupon.Status is CouponStatus.Locked or CouponStatus.Used)
                await CouponTransitions.TryMoveAsync(c, tx, coupon.Id, coupon.Status, CouponStatus.Available, orderNo, Trim(reason), now, ct);
    }

    static async Task<IReadOnlyList<HeldCoupon>> OrderCouponsAsync(DbConnection c, DbTransaction tx, string orderNo, CancellationToken ct) =>
        [.. await c.QueryAsync<HeldCoupon>(new CommandDefinition(HeldSql + " WHERE order_no = @orderNo ORDER BY id FOR UPDATE",
            new { orderNo }, tx, cancellationToken: ct))];

    static string Trim(string s) => s.Length <= 128 ? s : s[..128];
}
