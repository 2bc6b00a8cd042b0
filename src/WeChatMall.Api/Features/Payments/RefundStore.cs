using System.Data.Common;
using Dapper;

namespace WeChatMall.Api.Features.Payments;

public sealed record RefundRow
{
    public long Id { get; init; }
    public long OrderId { get; init; }
    public string OutRefundNo { get; init; } = "";
    public long AmountFen { get; init; }
    public string Status { get; init; } = "";
    public string Source { get; init; } = "";
    public string? Reason { get; init; }
    public bool ReturnStock { get; init; }
    public string? RefundId { get; init; }
    public string? WechatStatus { get; init; }
    public string? Note { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? SucceededAt { get; init; }

    public const string Columns = """
        id, order_id, out_refund_no, amount_fen, status, source, reason, return_stock, refund_id, wechat_status, note,
        created_at, succeeded_at
        """;
}

/// <summary>A line of goods a refund takes back.</summary>
public sealed record RefundLine(long OrderLineId, int Quantity);

/// <summary>
/// Every write to order_refunds, order_refund_lines and refund_events, inside the caller's transaction. A refund's
/// status changes only through <see cref="TryMoveAsync"/>: the moves <see cref="RefundStatus"/> allows, as one
/// conditional UPDATE plus a refund_events row (who, when, why).
/// </summary>
public static class RefundStore
{
    public const string FindSql = $"SELECT {RefundRow.Columns} FROM order_refunds WHERE out_refund_no = @outRefundNo";

    public static async Task<long> InsertAsync(DbConnection c, DbTransaction tx, long orderId, string outRefundNo, long amountFen,
        string status, string source, string? reason, IReadOnlyList<RefundLine> lines, string actor, DateTime now, CancellationToken ct)
    {
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO order_refunds (order_id, out_refund_no, amount_fen, status, source, reason, return_stock, created_at, updated_at)
            VALUES (@orderId, @outRefundNo, @amountFen, @status, @source, @reason, @returnStock, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { orderId, outRefundNo, amountFen, status, source, reason, returnStock = lines.Count > 0, now }, tx, cancellationToken: ct));
        await SetLinesAsync(c, tx, id, lines, ct);
        await EventAsync(c, tx, id, null, status, actor, $"{amountFen} fen", now, ct);
        return id;
    }

    /// <summary>
    /// Moves the refund to <paramref name="to"/> if it is in one of <paramref name="from"/> (each must be a legal source).
    /// <paramref name="setSql"/> adds assignments whose values come from <paramref name="args"/> (@id, @to, @now bound).
    /// Returns the previous status, or null when nothing moved (someone else moved it first).
    /// </summary>
    public static async Task<string?> TryMoveAsync(DbConnection c, DbTransaction tx, long refundId, string[] from, string to,
        string actor, string? note, DateTime now, CancellationToken ct, string? setSql = null, object? args = null)
    {
        foreach (var f in from)
            if (!RefundStatus.CanMove(f, to)) throw new InvalidOperationException($"Refund transition {f} → {to} is not allowed.");
        var previous = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM order_refunds WHERE id = @refundId FOR UPDATE", new { refundId }, tx, cancellationToken: ct));
        if (previous is null || !from.Contains(previous)) return null;

        var p = new DynamicParameters(args);
        p.Add("id", refundId);
        p.Add("to", to);
        p.Add("now", now);
        p.Add("previous", previous);
        var set = string.IsNullOrEmpty(setSql) ? "" : ", " + setSql;
        var moved = await c.ExecuteAsync(new CommandDefinition(
            $"UPDATE order_refunds SET status = @to, updated_at = @now{set} WHERE id = @id AND status = @previous", p, tx, cancellationToken: ct));
        if (moved == 0) return null;
        await EventAsync(c, tx, refundId, previous, to, actor, note, now, ct);
        return previous;
    }

    /// <summary>What WeChat Pay last said about the refund (its id, its status word); not a move of ours.</summary>
    public static Task NoteAnswerAsync(DbConnection c, DbTransaction? tx, long refundId, string? wechatRefundId, string? wechatStatus,
        DateTime now, CancellationToken ct)
        => c.ExecuteAsync(new CommandDefinition("""
            UPDATE order_refunds SET refund_id = COALESCE(@wechatRefundId, refund_id), wechat_status = COALESCE(@wechatStatus, wechat_status),
                   submitted_at = COALESCE(submitted_at, @now), updated_at = @now
            WHERE id = @refundId
            """, new { refundId, wechatRefundId, wechatStatus, now }, tx, cancellationToken: ct));

    /// <summary>Reconciliation's claim of a processing refund: only one instance queries it per round.</summary>
    public static async Task<bool> TryClaimCheckAsync(DbConnection c, long refundId, DateTime now, DateTime recheck, CancellationToken ct)
        => await c.ExecuteAsync(new CommandDefinition("""
            UPDATE order_refunds SET checked_at = @now WHERE id = @refundId AND (checked_at IS NULL OR checked_at <= @recheck)
            """, new { refundId, now, recheck }, cancellationToken: ct)) == 1;

    /// <summary>Replaces the goods a refund takes back (an approval may name them).</summary>
    public static async Task SetLinesAsync(DbConnection c, DbTransaction tx, long refundId, IReadOnlyList<RefundLine> lines, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM order_refund_lines WHERE refund_id = @refundId", new { refundId }, tx, cancellationToken: ct));
        foreach (var l in lines)
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO order_refund_lines (refund_id, order_line_id, quantity) VALUES (@refundId, @OrderLineId, @Quantity)",
                new { refundId, l.OrderLineId, l.Quantity }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("UPDATE order_refunds SET return_stock = @any WHERE id = @refundId",
            new { refundId, any = lines.Count > 0 }, tx, cancellationToken: ct));
    }

    public static async Task<IReadOnlyList<RefundLine>> LinesAsync(DbConnection c, DbTransaction? tx, long refundId, CancellationToken ct)
        => [.. await c.QueryAsync<RefundLine>(new CommandDefinition(
            "SELECT order_line_id AS OrderLineId, quantity AS Quantity FROM order_refund_lines WHERE refund_id = @refundId ORDER BY order_line_id",
            new { refundId }, tx, cancellationToken: ct))];

    /// <summary>Money of the order already refunded or promised (see <see cref="RefundStatus.Committed"/>), other refunds than <paramref name="exceptRefundId"/>.</summary>
    public static Task<long> CommittedFenAsync(DbConnection c, DbTransaction tx, long orderId, CancellationToken ct, long exceptRefundId = 0)
        => c.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT COALESCE(SUM(amount_fen), 0) FROM order_refunds
            WHERE order_id = @orderId AND status IN @committed AND id <> @exceptRefundId
            """, new { orderId, committed = RefundStatus.Committed, exceptRefundId }, tx, cancellationToken: ct));

    /// <summary>Quantities of each order line that refunds still open (asked, in flight, abnormal) will take back.</summary>
    public static async Task<IReadOnlyDictionary<long, int>> PendingQuantitiesAsync(DbConnection c, DbTransaction tx, long orderId,
        long exceptRefundId, CancellationToken ct)
        => (await c.QueryAsync<(long LineId, long Quantity)>(new CommandDefinition("""
            SELECT rl.order_line_id, CAST(SUM(rl.quantity) AS SIGNED) FROM order_refund_lines rl JOIN order_refunds r ON r.id = rl.refund_id
            WHERE r.order_id = @orderId AND r.status IN ('requested', 'processing', 'abnormal') AND r.id <> @exceptRefundId
            GROUP BY rl.order_line_id
            """, new { orderId, exceptRefundId }, tx, cancellationToken: ct))).ToDictionary(r => r.LineId, r => (int)r.Quantity);

    public static Task<int> CountAsync(DbConnection c, DbTransaction tx, long orderId, CancellationToken ct)
        => c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM order_refunds WHERE order_id = @orderId", new { orderId }, tx, cancellationToken: ct));

    static Task EventAsync(DbConnection c, DbTransaction tx, long refundId, string? from, string to, string actor, string? note,
        DateTime now, CancellationToken ct)
        => c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO refund_events (refund_id, from_status, to_status, actor, note, created_at)
            VALUES (@refundId, @from, @to, @actor, @note, @now)
            """, new { refundId, from, to, actor, note = note is { Length: > 512 } ? note[..512] : note, now }, tx, cancellationToken: ct));
}
