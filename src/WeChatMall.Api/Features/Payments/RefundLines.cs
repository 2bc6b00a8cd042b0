using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using Dapper;

namespace WeChatMall.Api.Features.Payments;

/// <summary>Goods that come back with a refund: an order line by its id (lineId) or by its SKU (skuId), and how many.</summary>
public sealed record RefundLineRequest(long? LineId, long? SkuId, [property: Range(1, 100_000)] int Quantity);

/// <summary>Turns the goods named in a refund request into order lines, checking they are on the order and not returned yet.</summary>
static class RefundLines
{
    sealed record LineRow(long Id, long SkuId, int Quantity, int RefundedQuantity);

    public sealed record Resolved(IReadOnlyList<RefundLine> Lines, RefundRefused? Refused);

    /// <summary>
    /// Named lines as they are; none named and <paramref name="returnStock"/> = every quantity neither returned nor taken
    /// back by another open refund. A quantity beyond that is refused (409), a line not on the order too (422).
    /// </summary>
    public static async Task<Resolved> ResolveAsync(DbConnection c, DbTransaction tx, long orderId, IReadOnlyList<RefundLineRequest>? requested,
        bool returnStock, long exceptRefundId, CancellationToken ct)
    {
        if (requested is not { Count: > 0 } && !returnStock) return new([], null);
        var lines = (await c.QueryAsync<LineRow>(new CommandDefinition(
            "SELECT id, sku_id, quantity, refunded_quantity FROM order_lines WHERE order_id = @orderId ORDER BY id FOR UPDATE",
            new { orderId }, tx, cancellationToken: ct))).AsList();
        var pending = await RefundStore.PendingQuantitiesAsync(c, tx, orderId, exceptRefundId, ct);
        int Available(LineRow l) => l.Quantity - l.RefundedQuantity - pending.GetValueOrDefault(l.Id);

        if (requested is not { Count: > 0 })
            return new([.. lines.Where(l => Available(l) > 0).Select(l => new RefundLine(l.Id, Available(l)))], null);

        var wanted = new Dictionary<long, int>();
        foreach (var r in requested)
        {
            var line = r.LineId is { } id ? lines.Find(l => l.Id == id)
                : r.SkuId is { } sku ? lines.Find(l => l.SkuId == sku) : null;
            if (line is null || r.Quantity < 1)
                return new([], new RefundRefused(422, "REFUND_LINE_NOT_FOUND",
                    $"Line {r.LineId?.ToString() ?? "sku " + r.SkuId} is not on this order (name each line by lineId or skuId, quantity ≥ 1)."));
            wanted[line.Id] = wanted.GetValueOrDefault(line.Id) + r.Quantity;
        }
        foreach (var (id, quantity) in wanted)
        {
            var line = lines.Find(l => l.Id == id)!;
            if (quantity > Available(line))
                return new([], new RefundRefused(409, "REFUND_QUANTITY_EXCEEDS",
                    $"Line {id} (SKU {line.SkuId}) has {Available(line)} left to take back, not {quantity}."));
        }
        return new([.. wanted.OrderBy(w => w.Key).Select(w => new RefundLine(w.Key, w.Value))], null);
    }
}
