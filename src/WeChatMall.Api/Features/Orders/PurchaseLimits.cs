using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Orders;

/// <summary>
/// The anti-hoarding rules of <see cref="OrderPlacer"/>, checked inside its transaction: at most
/// <see cref="OrderOptions.MaxOpenUnpaidOrders"/> unpaid orders per member, and a SKU's purchase_limit (限购) over the
/// units the member holds in orders that are not cancelled (unpaid, paid, shipped, completed, refunded alike, so
/// buy-and-refund does not reset it). Race-free because <see cref="LockMemberSql"/> is the transaction's first
/// statement (<see cref="PlacementReads"/>): concurrent placements of one member queue on the member row and each one
/// counts the orders the earlier ones committed.
/// </summary>
public static class PurchaseLimits
{
    /// <summary>Serializes this member's placements (and nobody else's); it also reads the tier the order is priced with.</summary>
    public const string LockMemberSql = "SELECT tier FROM members WHERE id = @memberId FOR UPDATE";

    // An unpaid order past its expiry can no longer be paid; the expiry job is about to cancel it, so it does not count.
    public const string OpenUnpaidSql = """
        SELECT COUNT(*) FROM orders WHERE member_id = @memberId AND status = 'pending_payment' AND expires_at > @now
        """;

    /// <summary>Every limited SKU of the order with the units the member already holds of it (<see cref="SkuLimit"/>).</summary>
    public const string LimitsSql = """
        SELECT s.id, s.purchase_limit AS `limit`,
               CAST((SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id
                     WHERE o.member_id = @memberId AND o.status <> 'cancelled' AND l.sku_id = s.id) AS SIGNED) AS held
        FROM catalog_skus s WHERE s.id IN @skuIds AND s.purchase_limit IS NOT NULL ORDER BY s.id
        """;

    public sealed record SkuLimit(long Id, int Limit, long Held);

    /// <summary>The refusal when the order would break a limit, or null when it may be placed.</summary>
    public static ProblemHttpResult? Check(long openUnpaid, IReadOnlyList<SkuLimit> limits, IReadOnlyDictionary<long, int> wanted,
        int maxOpenUnpaid)
    {
        if (openUnpaid >= maxOpenUnpaid)
            return Problems.Conflict("TOO_MANY_OPEN_ORDERS", "Too many unpaid orders",
                $"You have {openUnpaid} unpaid orders; pay or cancel one before placing another.",
                new Dictionary<string, object?> { ["maxOpenOrders"] = maxOpenUnpaid });
        foreach (var (skuId, limit, held) in limits)
        {
            if (held + wanted[skuId] <= limit) continue;
            var remaining = Math.Max(0, limit - held);
            return Problems.Conflict("PURCHASE_LIMIT_EXCEEDED", "Purchase limit reached for this item",
                $"SKU {skuId} is limited to {limit} per customer; you may order {remaining} more.",
                new Dictionary<string, object?> { ["skuId"] = skuId, ["limit"] = limit, ["remaining"] = remaining });
        }
        return null;
    }
}
