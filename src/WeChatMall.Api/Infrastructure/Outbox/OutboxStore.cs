using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Infrastructure.Outbox;

public sealed record OutboxRow(long Id, string Kind, string Payload, int Attempts);

/// <summary>
/// Claiming and settling rows; every update is conditional on our claim, so instances never collide. Every update
/// finds its rows by primary key (forced: on a small table the optimiser may prefer the due index), so all of them
/// lock a row before its index entries, in one order, and none can deadlock another.
/// </summary>
public sealed class OutboxStore(MySqlDataSource dataSource)
{
    /// <summary>
    /// Leases up to <paramref name="batch"/> due rows to <paramref name="worker"/> until <paramref name="until"/>.
    /// The due rows are found by a plain read and taken by primary key, the condition checked again: an UPDATE that
    /// searched the due index itself would lock every due row it passed, leased or not, in the opposite order to a
    /// send's settlement (row, then index), and the two deadlocked; the settlement could be the one rolled back.
    /// </summary>
    public async Task<IReadOnlyList<OutboxRow>> ClaimAsync(string worker, IReadOnlyCollection<string> kinds, DateTime now, DateTime until, int batch, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        var due = (await c.QueryAsync<long>(new CommandDefinition(
            """
            SELECT id FROM outbox_messages
            WHERE status = 'pending' AND kind IN @kinds AND next_attempt_at <= @now
              AND (locked_until IS NULL OR locked_until < @now)
            ORDER BY next_attempt_at, id LIMIT @batch
            """, new { kinds, now, batch }, cancellationToken: ct))).ToList();
        if (due.Count == 0) return [];
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox_messages FORCE INDEX (PRIMARY) SET locked_by = @worker, locked_until = @until
            WHERE id IN @due AND status = 'pending' AND next_attempt_at <= @now
              AND (locked_until IS NULL OR locked_until < @now)
            """, new { worker, due, now, until }, cancellationToken: ct));
        var rows = await c.QueryAsync<OutboxRow>(new CommandDefinition(
            """
            SELECT id, kind, payload, attempts FROM outbox_messages
            WHERE id IN @due AND locked_by = @worker AND locked_until > @now AND status = 'pending' ORDER BY id
            """, new { due, worker, now }, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>
    /// Moves one claimed row's lease to <paramref name="until"/>, if the row is still ours: taken just before sending
    /// and renewed while the send runs. False means another instance claimed it after our lease ran out: not ours to send.
    /// </summary>
    public async Task<bool> ExtendLeaseAsync(long id, string worker, DateTime until, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox_messages FORCE INDEX (PRIMARY) SET locked_until = @until
            WHERE id = @id AND locked_by = @worker AND status = 'pending'
            """, new { id, worker, until }, cancellationToken: ct)) == 1;
    }

    public async Task MarkSentAsync(long id, string worker, DateTime now, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox_messages FORCE INDEX (PRIMARY) SET status = 'sent', sent_at = @now, attempts = attempts + 1,
                   locked_by = NULL, locked_until = NULL, last_error = NULL
            WHERE id = @id AND locked_by = @worker AND status = 'pending'
            """, new { id, worker, now }, cancellationToken: ct));
    }

    /// <summary>Settles a row that its handler chose not to send; <paramref name="reason"/> goes to last_error.</summary>
    public async Task MarkSkippedAsync(long id, string worker, string reason, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox_messages FORCE INDEX (PRIMARY) SET status = 'skipped', attempts = attempts + 1, last_error = @reason,
                   locked_by = NULL, locked_until = NULL
            WHERE id = @id AND locked_by = @worker AND status = 'pending'
            """, new { id, worker, reason = reason.Length > 1000 ? reason[..1000] : reason }, cancellationToken: ct));
    }

    public async Task MarkFailedAsync(long id, string worker, string error, DateTime nextAttempt, bool dead, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox_messages FORCE INDEX (PRIMARY) SET status = IF(@dead, 'dead', 'pending'), attempts = attempts + 1,
                   next_attempt_at = @nextAttempt, last_error = @error, locked_by = NULL, locked_until = NULL
            WHERE id = @id AND locked_by = @worker AND status = 'pending'
            """, new { id, worker, error = error.Length > 1000 ? error[..1000] : error, nextAttempt, dead }, cancellationToken: ct));
    }
}
