using System.Data.Common;
using Dapper;

namespace WeChatMall.Api.Features.Members;

/// <summary>What <see cref="PointsOwed.TakeBackAsync"/> did: points debited from the balance, and the rest recorded as owed.</summary>
public sealed record TakenBack(long Debited, long Owed);

/// <summary>
/// Points a member owes: what a refund had to take back after the points were already spent. The balance never goes
/// below zero, so the shortfall is kept apart (members.points_owed, history in points_owed_entries) and settled first
/// from every later credit (<see cref="PointsLedger"/> calls <see cref="SettleAsync"/>), so while anything is owed the
/// balance is 0 and redemption is refused. Callers hold the member row lock (PointsLedger takes it, or it is taken here).
/// </summary>
public static class PointsOwed
{
    const string LockSql = "SELECT points_balance AS Balance, points_owed AS Owed FROM members WHERE id = @memberId AND merged_into IS NULL FOR UPDATE";

    const string InsertSql = """
        INSERT INTO points_owed_entries (member_id, delta, owed_after, reason, reference, idempotency_key, created_at)
        VALUES (@memberId, @delta, @owedAfter, @reason, @reference, @key, @now)
        """;

    /// <summary>
    /// Takes <paramref name="points"/> back: as much as the balance holds is debited (ledger key <paramref name="key"/>),
    /// the rest becomes owed (owed entry with the same key). Once per key: a repeat answers with what the first did.
    /// </summary>
    public static async Task<TakenBack> TakeBackAsync(DbConnection c, DbTransaction tx, long memberId, long points,
        string reason, string? reference, string key, DateTime now, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(points);
        if (await c.QuerySingleOrDefaultAsync<MemberPoints>(new CommandDefinition(LockSql, new { memberId }, tx, cancellationToken: ct)) is not { } m)
            return new TakenBack(0, 0);
        // Locking reads: they see a concurrent call's committed entries that this transaction's snapshot may not.
        var debitedBefore = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT -delta FROM points_ledger WHERE idempotency_key = @key LOCK IN SHARE MODE", new { key }, tx, cancellationToken: ct));
        var owedBefore = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT delta FROM points_owed_entries WHERE idempotency_key = @key LOCK IN SHARE MODE", new { key }, tx, cancellationToken: ct));
        if (debitedBefore is not null || owedBefore is not null) return new TakenBack(debitedBefore ?? 0, owedBefore ?? 0);

        var debit = Math.Min(points, m.Balance);
        if (debit > 0) await PointsLedger.PostAsync(c, tx, memberId, -debit, reason, reference, key, now, ct);
        var owe = points - debit;
        if (owe > 0) await ChangeAsync(c, tx, memberId, owe, reason, reference, key, now, ct);
        return new TakenBack(debit, owe);
    }

    /// <summary>PointsLedger's part after a credit of a member who owes: <paramref name="points"/> of it pay the debt back.</summary>
    internal static async Task SettleAsync(DbConnection c, DbTransaction tx, long memberId, long points, string? reference, string key,
        DateTime now, CancellationToken ct)
    {
        await PointsLedger.PostAsync(c, tx, memberId, -points, "Settles owed points", reference, key, now, ct);
        await ChangeAsync(c, tx, memberId, -points, "Settled", reference, key, now, ct);
    }

    /// <summary>MemberMerger's part (both rows locked by it, balances already added): the debt moves, and the joint balance settles it.</summary>
    public static async Task MergeAsync(DbConnection c, DbTransaction tx, long survivorId, long mergedId, DateTime now, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE members s JOIN members m ON m.id = @mergedId SET s.points_owed = s.points_owed + m.points_owed, m.points_owed = 0
            WHERE s.id = @survivorId
            """, new { survivorId, mergedId }, tx, cancellationToken: ct));
        var m = await c.QuerySingleAsync<MemberPoints>(new CommandDefinition(LockSql, new { memberId = survivorId }, tx, cancellationToken: ct));
        var settle = Math.Min(m.Balance, m.Owed);
        if (settle > 0) await SettleAsync(c, tx, survivorId, settle, $"merge:{mergedId}", $"owed-settle:merge:{mergedId}", now, ct);
    }

    /// <summary>What the member owes now (0 for an unknown member).</summary>
    public static async Task<long> OfAsync(DbConnection c, DbTransaction? tx, long memberId, CancellationToken ct) =>
        await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT points_owed FROM members WHERE id = @memberId", new { memberId }, tx, cancellationToken: ct)) ?? 0;

    static async Task ChangeAsync(DbConnection c, DbTransaction tx, long memberId, long delta, string reason, string? reference, string key,
        DateTime now, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE members SET points_owed = points_owed + @delta, updated_at = @now WHERE id = @memberId",
            new { memberId, delta, now }, tx, cancellationToken: ct));
        var owedAfter = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT points_owed FROM members WHERE id = @memberId", new { memberId }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(InsertSql, new { memberId, delta, owedAfter, reason, reference, key, now }, tx, cancellationToken: ct));
    }

    sealed record MemberPoints(long Balance, long Owed);
}
