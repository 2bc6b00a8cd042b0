using System.Data.Common;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Members;

public sealed record LedgerEntryDto(long Id, long Delta, long BalanceAfter, string Reason, string? Reference, DateTime CreatedAt);

/// <summary>What <see cref="PointsLedger.PostAsync"/> did. Only <see cref="PointsPosted"/> with Duplicate=false wrote.</summary>
public abstract record PointsPostResult;
public sealed record PointsPosted(LedgerEntryDto Entry, bool Duplicate) : PointsPostResult;
public sealed record InsufficientPoints(long Balance) : PointsPostResult;
public sealed record PointsMemberNotFound : PointsPostResult;
/// <summary>The key was used before for another member or amount: a caller bug, never silently accepted.</summary>
public sealed record IdempotencyKeyReused(LedgerEntryDto Original) : PointsPostResult;

/// <summary>
/// The only writer of points: an append-only entry plus the member's balance, inside the caller's transaction
/// (an order, a code claim, an admin adjustment), so the points change commits or rolls back with it. A credit to a
/// member who owes points (<see cref="PointsOwed"/>) is followed by a debit that settles the debt from it.
/// </summary>
public static class PointsLedger
{
    const string FindSql = """
        SELECT id, member_id, delta, balance_after, reason, reference, created_at
        FROM points_ledger WHERE idempotency_key = @key
        """;

    // The member row is locked first (X lock) so concurrent posts for one member queue here instead of
    // deadlocking on the foreign-key check of the ledger insert. A merged member (merged_into set) takes no points:
    // a post that waited for a merge's lock finds it merged and answers "not found" instead of re-filling the shell.
    const string ApplySql = """
        UPDATE members SET points_balance = points_balance + @delta, updated_at = @now
        WHERE id = @memberId AND merged_into IS NULL AND points_balance + @delta >= 0
        """;

    const string InsertSql = """
        INSERT INTO points_ledger (member_id, delta, balance_after, reason, reference, idempotency_key, created_at)
        VALUES (@memberId, @delta, @balanceAfter, @reason, @reference, @key, @now);
        SELECT LAST_INSERT_ID();
        """;

    public static Task<PointsPostResult> PostAsync(DbConnection c, DbTransaction tx, long memberId, long delta,
        string reason, string? reference, string idempotencyKey, DateTime now, CancellationToken ct) =>
        PostAsync(c, tx, memberId, delta, reason, reference, idempotencyKey, now, fromLotId: null, ct);

    /// <summary>
    /// As <see cref="PostAsync(DbConnection, DbTransaction, long, long, string, string?, string, DateTime, CancellationToken)"/>;
    /// a debit with <paramref name="fromLotId"/> takes from that lot first (the expiry job), any other debit from the
    /// oldest lots (<see cref="PointsLots"/>).
    /// </summary>
    public static async Task<PointsPostResult> PostAsync(DbConnection c, DbTransaction tx, long memberId, long delta,
        string reason, string? reference, string idempotencyKey, DateTime now, long? fromLotId, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfZero(delta);
        // A cheap early answer for a retry; the unique key below is what actually guarantees one entry.
        if (await FindAsync(c, tx, idempotencyKey, locking: false, ct) is { } earlier) return Replay(earlier, memberId, delta);

        if (await c.ExecuteAsync(new CommandDefinition(ApplySql, new { memberId, delta, now }, tx, cancellationToken: ct)) == 0)
        {
            var balance = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT points_balance FROM members WHERE id = @memberId AND merged_into IS NULL", new { memberId }, tx, cancellationToken: ct));
            return balance is { } b ? new InsufficientPoints(b) : new PointsMemberNotFound();
        }
        var (balanceAfter, owed) = await c.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "SELECT points_balance, points_owed FROM members WHERE id = @memberId FOR UPDATE", new { memberId }, tx, cancellationToken: ct));
        long id;
        try
        {
            id = await c.ExecuteScalarAsync<long>(new CommandDefinition(InsertSql,
                new { memberId, delta, balanceAfter, reason, reference, key = idempotencyKey, now }, tx, cancellationToken: ct));
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            // A concurrent post with the same key committed first. MariaDB rolls back only the failed statement,
            // so undo our balance change in this transaction and answer with the original entry.
            await c.ExecuteAsync(new CommandDefinition(ApplySql, new { memberId, delta = -delta, now }, tx, cancellationToken: ct));
            return Replay((await FindAsync(c, tx, idempotencyKey, locking: true, ct))!, memberId, delta);
        }
        if (delta > 0)
        {
            await PointsLots.OpenAsync(c, tx, memberId, id, delta, now, ct);
            // Points owed after a refund are paid back first from any credit (the entry shows the credit, the next one the settlement).
            if (owed > 0) await PointsOwed.SettleAsync(c, tx, memberId, Math.Min(owed, delta), reference, $"owed-settle:{id}", now, ct);
        }
        else await PointsLots.ConsumeAsync(c, tx, memberId, -delta, fromLotId, ct);
        return new PointsPosted(new LedgerEntryDto(id, delta, balanceAfter, reason, reference, now), Duplicate: false);
    }

    static PointsPostResult Replay(LedgerRow row, long memberId, long delta)
    {
        var entry = new LedgerEntryDto(row.Id, row.Delta, row.BalanceAfter, row.Reason, row.Reference, row.CreatedAt);
        return row.MemberId == memberId && row.Delta == delta ? new PointsPosted(entry, Duplicate: true) : new IdempotencyKeyReused(entry);
    }

    // A locking read sees rows committed after this transaction's snapshot, which the plain read may not.
    static Task<LedgerRow?> FindAsync(DbConnection c, DbTransaction tx, string key, bool locking, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<LedgerRow>(new CommandDefinition(
            locking ? FindSql + " LOCK IN SHARE MODE" : FindSql, new { key }, tx, cancellationToken: ct));

    sealed record LedgerRow
    {
        public long Id { get; init; }
        public long MemberId { get; init; }
        public long Delta { get; init; }
        public long BalanceAfter { get; init; }
        public string Reason { get; init; } = "";
        public string? Reference { get; init; }
        public DateTime CreatedAt { get; init; }
    }
}
