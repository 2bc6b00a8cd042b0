using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Payments;

/// <summary>pay_notifications: every verified notification and its outcome, for operators and for audits.</summary>
public sealed class PayNotificationLog(MySqlDataSource db, TimeProvider time)
{
    const string InsertSql = """
        INSERT INTO pay_notifications (notification_id, event, out_trade_no, out_refund_no, transaction_id, outcome, detail, created_at)
        VALUES (@notificationId, @eventType, @outTradeNo, @outRefundNo, @transactionId, @outcome, @detail, @now)
        """;

    public async Task RecordAsync(string? notificationId, string eventType, string? outTradeNo, string? outRefundNo,
        string? transactionId, ApplyResult result, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            notificationId = Cut(notificationId, 64), eventType = Cut(eventType, 32), outTradeNo = Cut(outTradeNo, 64),
            outRefundNo = Cut(outRefundNo, 64), transactionId = Cut(transactionId, 64), outcome = result.Outcome,
            detail = Cut(result.Detail, 512), now = time.GetUtcNow().UtcDateTime,
        }, cancellationToken: ct));
    }

    static string? Cut(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
