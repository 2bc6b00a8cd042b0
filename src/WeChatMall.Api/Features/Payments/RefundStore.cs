using System.Data.Common;
using Dapper;

namespace WeChatMall.Api.Features.Payments;

public static class RefundStatus
{
    public const string Requested = "requested";
    public const string Processing = "processing";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Rejected = "rejected";
}

public static class RefundSource
{
    public const string Admin = "admin";
    public const string Shopper = "shopper";
    public const string LatePayment = "late_payment";
}

/// <summary>out_refund_no values: derived from the order number, so they are readable and never collide across orders.</summary>
public static class RefundNumbers
{
    public static string Numbered(string orderNo, int n) => $"{orderNo}-R{n}";
    public static string LatePayment(string orderNo) => $"{orderNo}-RL";
}

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

/// <summary>Refund rows inside the caller's transaction.</summary>
public static class RefundStore
{
    public static Task InsertAsync(DbConnection c, DbTransaction tx, long orderId, string outRefundNo, long amountFen, string status,
        string source, string? reason, bool returnStock, DateTime now, CancellationToken ct)
        => c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO order_refunds (order_id, out_refund_no, amount_fen, status, source, reason, return_stock, created_at, updated_at)
            VALUES (@orderId, @outRefundNo, @amountFen, @status, @source, @reason, @returnStock, @now, @now)
            """, new { orderId, outRefundNo, amountFen, status, source, reason, returnStock, now }, tx, cancellationToken: ct));

    /// <summary>Money of the order already refunded or promised to a refund in flight: the next refund may take the rest.</summary>
    public static Task<long> CommittedFenAsync(DbConnection c, DbTransaction tx, long orderId, CancellationToken ct)
        => c.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT COALESCE(SUM(amount_fen), 0) FROM order_refunds
            WHERE order_id = @orderId AND status IN ('requested', 'processing', 'succeeded')
            """, new { orderId }, tx, cancellationToken: ct));

    public static Task<int> CountAsync(DbConnection c, DbTransaction tx, long orderId, CancellationToken ct)
        => c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM order_refunds WHERE order_id = @orderId", new { orderId }, tx, cancellationToken: ct));
}
