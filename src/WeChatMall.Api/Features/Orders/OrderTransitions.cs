using System.Data.Common;
using Dapper;

namespace WeChatMall.Api.Features.Orders;

/// <summary>
/// The one way an order's status changes: a conditional UPDATE (… WHERE status IN (allowed sources)) plus an
/// order_events row, in the caller's transaction. Zero rows means someone else moved the order first (a duplicate
/// notification, a concurrent cancel): the caller treats that as "already handled", never as an error to retry.
/// </summary>
public static class OrderTransitions
{
    /// <summary>
    /// Moves the order to <paramref name="to"/> if it is in one of <paramref name="from"/> (each must be a legal source).
    /// <paramref name="setSql"/> adds column assignments such as "paid_at = @now, transaction_id = @tx" whose values come
    /// from <paramref name="args"/> (with @id, @to, @now already bound). Returns the previous status, or null when nothing moved.
    /// </summary>
    public static async Task<string?> TryMoveAsync(DbConnection c, DbTransaction tx, long orderId, string[] from, string to,
        string actor, string? note, DateTime now, CancellationToken ct, string? setSql = null, object? args = null)
    {
        foreach (var f in from)
            if (!OrderStatus.CanMove(f, to)) throw new InvalidOperationException($"Order transition {f} → {to} is not allowed.");

        var previous = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM orders WHERE id = @orderId FOR UPDATE", new { orderId }, tx, cancellationToken: ct));
        if (previous is null || !from.Contains(previous)) return null;

        var p = new DynamicParameters(args);
        p.Add("id", orderId);
        p.Add("to", to);
        p.Add("now", now);
        p.Add("previous", previous);
        var set = string.IsNullOrEmpty(setSql) ? "" : ", " + setSql;
        var moved = await c.ExecuteAsync(new CommandDefinition(
            $"UPDATE orders SET status = @to, updated_at = @now{set} WHERE id = @id AND status = @previous", p, tx, cancellationToken: ct));
        if (moved == 0) return null;

        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO order_events (order_id, from_status, to_status, actor, note, created_at)
            VALUES (@orderId, @previous, @to, @actor, @note, @now)
            """, new { orderId, previous, to, actor, note, now }, tx, cancellationToken: ct));
        return previous;
    }
}
