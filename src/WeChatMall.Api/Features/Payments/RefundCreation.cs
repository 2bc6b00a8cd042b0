using System.Data.Common;
using Dapper;
using MySqlConnector;
using WeChatMall.Api.Features.Orders;

namespace WeChatMall.Api.Features.Payments;

public abstract record RefundCreateResult;
public sealed record RefundCreated(RefundRow Refund) : RefundCreateResult;
public sealed record RefundRefused(int Status, string Code, string Title) : RefundCreateResult;

/// <summary>
/// Opening refunds: the admin's direct refund, the shopper's request and the admin's decision on it. Each runs in one
/// transaction with the order row locked, so two refunds racing for the same money cannot both pass the remaining check.
/// Opening a refund moves no order state: the order's refund_state moves when money has actually gone back.
/// </summary>
public sealed class RefundCreation(MySqlDataSource db, TimeProvider time)
{
    static readonly string[] Refundable = [OrderStatus.Paid, OrderStatus.Shipped, OrderStatus.Completed];

    /// <summary>
    /// Admin: a processing refund of amountFen (≤ what remains). Goods that come back are named by <paramref name="lines"/>;
    /// returnStock without lines means every quantity not yet returned. The caller submits it after commit.
    /// </summary>
    public async Task<RefundCreateResult> CreateAsync(string orderNo, long amountFen, string? reason, bool returnStock,
        IReadOnlyList<RefundLineRequest>? lines, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await LockAsync(c, tx, orderNo, memberId: null, ct) is not { } order) return NotFound();
        if (Array.IndexOf(Refundable, order.Status) < 0 || order.TransactionId is null)
            return new RefundRefused(409, "ORDER_NOT_REFUNDABLE", $"An order that is {order.Status} cannot be refunded.");
        var remaining = order.PayableFen - await RefundStore.CommittedFenAsync(c, tx, order.Id, ct);
        if (amountFen > remaining)
            return new RefundRefused(409, "REFUND_EXCEEDS_REMAINING", $"At most {remaining} fen of this order can still be refunded.");
        var goods = await RefundLines.ResolveAsync(c, tx, order.Id, lines, returnStock, exceptRefundId: 0, ct);
        if (goods.Refused is { } refused) return refused;
        var refund = await OpenAsync(c, tx, order, amountFen, RefundStatus.Processing, RefundSource.Admin, reason, goods.Lines, ct);
        await tx.CommitAsync(ct);
        return new RefundCreated(refund);
    }

    /// <summary>Shopper: asks for the whole remaining amount back; nothing moves until an admin approves.</summary>
    public async Task<RefundCreateResult> RequestAsync(long memberId, string orderNo, string reason, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await LockAsync(c, tx, orderNo, memberId, ct) is not { } order) return NotFound();
        if (Array.IndexOf(Refundable, order.Status) < 0 || order.TransactionId is null)
            return new RefundRefused(409, "ORDER_NOT_REFUNDABLE", $"An order that is {order.Status} cannot be refunded.");
        var open = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM order_refunds WHERE order_id = @id AND status = 'requested'", new { id = order.Id }, tx, cancellationToken: ct));
        if (open > 0) return new RefundRefused(409, "REFUND_ALREADY_REQUESTED", "A refund request for this order is waiting for the merchant.");
        var remaining = order.PayableFen - await RefundStore.CommittedFenAsync(c, tx, order.Id, ct);
        if (remaining <= 0) return new RefundRefused(409, "NOTHING_TO_REFUND", "This order has been refunded in full.");
        var refund = await OpenAsync(c, tx, order, remaining, RefundStatus.Requested, RefundSource.Shopper, reason, [], ct);
        await tx.CommitAsync(ct);
        return new RefundCreated(refund);
    }

    /// <summary>Admin decides a shopper's request: approve → processing (naming the goods that come back); reject → rejected with a note.</summary>
    public async Task<RefundCreateResult> DecideAsync(string orderNo, string outRefundNo, bool approve, bool returnStock,
        IReadOnlyList<RefundLineRequest>? lines, string? note, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await LockAsync(c, tx, orderNo, memberId: null, ct) is not { } order) return NotFound();
        var refund = await c.QuerySingleOrDefaultAsync<RefundRow>(new CommandDefinition(
            $"SELECT {RefundRow.Columns} FROM order_refunds WHERE order_id = @id AND out_refund_no = @outRefundNo FOR UPDATE",
            new { id = order.Id, outRefundNo }, tx, cancellationToken: ct));
        if (refund is null) return new RefundRefused(404, "REFUND_NOT_FOUND", "No such refund on this order.");
        if (refund.Status != RefundStatus.Requested)
            return new RefundRefused(409, "REFUND_NOT_REQUESTED", $"The refund is {refund.Status}, not waiting for a decision.");
        var now = time.GetUtcNow().UtcDateTime;
        IReadOnlyList<RefundLine> goods = [];
        if (approve)
        {
            var resolved = await RefundLines.ResolveAsync(c, tx, order.Id, lines, returnStock, refund.Id, ct);
            if (resolved.Refused is { } refused) return refused;
            goods = resolved.Lines;
            await RefundStore.SetLinesAsync(c, tx, refund.Id, goods, ct);
        }
        var to = approve ? RefundStatus.Processing : RefundStatus.Rejected;
        await RefundStore.TryMoveAsync(c, tx, refund.Id, [RefundStatus.Requested], to, "admin", note, now, ct, "note = @note", new { note });
        await tx.CommitAsync(ct);
        return new RefundCreated(refund with { Status = to, ReturnStock = goods.Count > 0, Note = note });
    }

    async Task<RefundRow> OpenAsync(DbConnection c, DbTransaction tx, PayOrderRow order, long amountFen, string status,
        string source, string? reason, IReadOnlyList<RefundLine> lines, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var outRefundNo = RefundNumbers.Numbered(order.OrderNo, await RefundStore.CountAsync(c, tx, order.Id, ct) + 1);
        var actor = source == RefundSource.Shopper ? $"member:{order.MemberId}" : "admin";
        var id = await RefundStore.InsertAsync(c, tx, order.Id, outRefundNo, amountFen, status, source, reason, lines, actor, now, ct);
        return new RefundRow
        {
            Id = id, OrderId = order.Id, OutRefundNo = outRefundNo, AmountFen = amountFen, Status = status, Source = source,
            Reason = reason, ReturnStock = lines.Count > 0, CreatedAt = now,
        };
    }

    internal static Task<PayOrderRow?> LockAsync(DbConnection c, DbTransaction tx, string orderNo, long? memberId, CancellationToken ct)
        => c.QuerySingleOrDefaultAsync<PayOrderRow>(new CommandDefinition(
            $"SELECT {PayOrderRow.Columns} FROM orders WHERE order_no = @orderNo AND (@memberId IS NULL OR member_id = @memberId) FOR UPDATE",
            new { orderNo, memberId }, tx, cancellationToken: ct));

    static RefundRefused NotFound() => new(404, "ORDER_NOT_FOUND", "No such order.");
}
