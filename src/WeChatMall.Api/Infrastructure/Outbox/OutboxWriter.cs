using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace WeChatMall.Api.Infrastructure.Outbox;

/// <summary>
/// Queues a message inside the caller's transaction, so it exists if and only if the state change commits.
/// The idempotency key makes a second enqueue for the same cause a no-op.
/// </summary>
public sealed class OutboxWriter(TimeProvider clock)
{
    public async Task<bool> EnqueueAsync(DbConnection connection, DbTransaction? transaction, string kind,
        string idempotencyKey, object payload, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT IGNORE INTO outbox_messages (kind, idempotency_key, payload, status, next_attempt_at, created_at)
            VALUES (@kind, @idempotencyKey, @payload, 'pending', @now, @now)
            """,
            new { kind, idempotencyKey, payload = JsonSerializer.Serialize(payload, JsonSerializerOptions.Web), now },
            transaction, cancellationToken: ct));
        return inserted == 1;
    }
}
