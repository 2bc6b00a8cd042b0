using System.Data.Common;
using Dapper;

namespace WeChatMall.Api.Features.Orders;

/// <summary>
/// The one way an order's fulfilment status or refund state changes: a conditional UPDATE plus an order_events row, in
/// the caller's transaction. Zero rows means someone else moved the order first (a duplicate notification, a concurrent
/// cancel): the caller treats that as "already handled", never as an error to retry.
/// </summary>
public static class OrderTransitions
{
    sealed record Current(string Status, string RefundState, long RefundedFen, long PayableFen);

    const string LockSql = "SELECT status, refund_state, refunded_fen, payable_fen FROM orders WHERE id = @orderId FOR UPDATE";

    const string EventSql = """
        INSERT INTO order_events (order_id, from_status, to_status, actor, note, created_at)
        VALUES (@orderId, @previous, @to, @actor, @note, @now)
        """;

    /// <summary>
    /// Moves the order to <paramref name="to"/> if it is in one of <paramref name="from"/> (each must be a legal source).
    /// <paramref name="setSql"/> adds column assignments such as "paid_at = @now, transaction_id = @tx" whose values come
    /// from <paramref name="args"/> (with @id, @to, @now already bound). Returns the previous status, or null when nothing
    /// moved (wrong status, or shipping an order whose money has all gone back).
    /// </summary>
    public static async Task<string?> TryMoveAsync(DbConnection c, DbTransaction tx, long orderId, string[] from, string to,
        string actor, string? note, DateTime now, CancellationToken ct, string? setSql = null, object? args = null)
    {
        foreach (var f in from)
            if (!OrderStatus.CanMove(f, to)) throw new InvalidOperationException($"Order transition {f} → {to} is not allowed.");

        var current = await c.QuerySingleOrDefaultAsync<Current>(new CommandDefinition(LockSql, new { orderId }, tx, cancellationToken: ct));
        if (current is null || !from.Contains(current.Status)) return null;
        if (to == OrderStatus.Shipped && !OrderStatus.CanShip(current.RefundState)) return null;
        var previous = current.Status;

        var p = new DynamicParameters(args);
        p.Add("id", orderId);
        p.Add("to", to);
        p.Add("now", now);
        p.Add("previous", previous);
        var set = string.IsNullOrEmpty(setSql) ? "" : ", " + setSql;
        var moved = await c.ExecuteAsync(new CommandDefinition(
            $"UPDATE orders SET status = @to, updated_at = @now{set} WHERE id = @id AND status = @previous", p, tx, cancellationToken: ct));
        if (moved == 0) return null;

        await c.ExecuteAsync(new CommandDefinition(EventSql, new { orderId, previous, to, actor, note, now }, tx, cancellationToken: ct));
        return previous;
    }

    /// <summary>
    /// Money went back: adds <paramref name="amountFen"/> to refunded_fen and moves refund_state accordingly
    /// (none → partially_refunded → refunded), with an event. Returns the new refund state. Never more than was paid:
    /// the refund paths check what remains before they open a refund, so going past it is a bug, not a race.
    /// </summary>
    public static async Task<string> RecordRefundAsync(DbConnection c, DbTransaction tx, long orderId, long amountFen,
        string actor, string? note, DateTime now, CancellationToken ct)
    {
        var current = await c.QuerySingleAsync<Current>(new CommandDefinition(LockSql, new { orderId }, tx, cancellationToken: ct));
        var refundedFen = current.RefundedFen + amountFen;
        if (amountFen <= 0 || refundedFen > current.PayableFen)
            throw new InvalidOperationException($"Order {orderId}: refunding {amountFen} fen would exceed what was paid.");
        var to = OrderRefundState.For(refundedFen, current.PayableFen);
        if (!OrderRefundState.CanMove(current.RefundState, to))
            throw new InvalidOperationException($"Order refund state {current.RefundState} → {to} is not allowed.");

        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE orders SET refunded_fen = @refundedFen, refund_state = @to, updated_at = @now
            WHERE id = @orderId AND refunded_fen = @before
            """, new { orderId, refundedFen, to, now, before = current.RefundedFen }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(EventSql,
            new { orderId, previous = current.RefundState, to, actor, note, now }, tx, cancellationToken: ct));
        return to;
    }
}
