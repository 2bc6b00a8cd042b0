using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Orders;

/// <summary>
/// The anti-hoarding rules of <see cref="OrderPlacer"/>, run inside its transaction: at most
/// <see cref="OrderOptions.MaxOpenUnpaidOrders"/> unpaid orders per member, and a SKU's purchase_limit (限购) over the
/// units the member holds in orders that are not cancelled (unpaid, paid, shipped, completed, refunded alike, so
/// buy-and-refund does not reset it). Race-free because <see cref="LockMemberAsync"/> runs first: concurrent
/// placements of one member queue on the member row and each one counts the orders the earlier ones committed.
/// </summary>
public static class PurchaseLimits
{
    const string LockMemberSql = "SELECT id FROM members WHERE id = @memberId FOR UPDATE";

    // An unpaid order past its expiry can no longer be paid; the expiry job is about to cancel it, so it does not count.
    const string OpenUnpaidSql = """
        SELECT COUNT(*) FROM orders WHERE member_id = @memberId AND status = 'pending_payment' AND expires_at > @now
        """;

    const string LimitsSql = "SELECT id, purchase_limit FROM catalog_skus WHERE id IN @skuIds AND purchase_limit IS NOT NULL";

    const string HeldSql = """
        SELECT l.sku_id, SUM(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id
        WHERE o.member_id = @memberId AND o.status <> 'cancelled' AND l.sku_id IN @skuIds
        GROUP BY l.sku_id
        """;

    /// <summary>The first statement of the transaction: serializes this member's placements (and nobody else's).</summary>
    public static Task LockMemberAsync(DbConnection c, DbTransaction tx, long memberId, CancellationToken ct) =>
        c.ExecuteScalarAsync<long?>(new CommandDefinition(LockMemberSql, new { memberId }, tx, cancellationToken: ct));

    /// <summary>The refusal when the order would break a limit, or null when it may be placed.</summary>
    public static async Task<ProblemHttpResult?> CheckAsync(DbConnection c, DbTransaction tx, long memberId,
        IReadOnlyDictionary<long, int> wanted, int maxOpenUnpaid, DateTime now, CancellationToken ct)
    {
        var open = await c.ExecuteScalarAsync<int>(new CommandDefinition(OpenUnpaidSql, new { memberId, now }, tx, cancellationToken: ct));
        if (open >= maxOpenUnpaid)
            return Problems.Conflict("TOO_MANY_OPEN_ORDERS", "Too many unpaid orders",
                $"You have {open} unpaid orders; pay or cancel one before placing another.",
                new Dictionary<string, object?> { ["maxOpenOrders"] = maxOpenUnpaid });

        var skuIds = wanted.Keys.ToArray();
        var limits = (await c.QueryAsync<(long Id, int Limit)>(new CommandDefinition(LimitsSql, new { skuIds }, tx, cancellationToken: ct))).ToList();
        if (limits.Count == 0) return null;
        var held = (await c.QueryAsync<(long SkuId, long Quantity)>(new CommandDefinition(HeldSql,
            new { memberId, skuIds = limits.Select(l => l.Id).ToArray() }, tx, cancellationToken: ct))).ToDictionary(r => r.SkuId, r => r.Quantity);
        foreach (var (skuId, limit) in limits.OrderBy(l => l.Id))
        {
            var already = held.GetValueOrDefault(skuId);
            if (already + wanted[skuId] <= limit) continue;
            var remaining = Math.Max(0, limit - already);
            return Problems.Conflict("PURCHASE_LIMIT_EXCEEDED", "Purchase limit reached for this item",
                $"SKU {skuId} is limited to {limit} per customer; you may order {remaining} more.",
                new Dictionary<string, object?> { ["skuId"] = skuId, ["limit"] = limit, ["remaining"] = remaining });
        }
        return null;
    }
}
