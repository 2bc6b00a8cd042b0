using System.Data.Common;
using System.Text.Json;
using Dapper;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Database;

namespace WeChatMall.Api.Features.Members;

public sealed record MemberMergeDto(long Id, long SurvivorId, long MergedId, string Reason,
    IReadOnlyDictionary<string, int> Moved, long PointsMoved, string MergedBy, DateTime CreatedAt);

public abstract record MergeResult;
public sealed record Merged(MemberMergeDto Merge) : MergeResult;
public sealed record MergeMemberNotFound(long MemberId) : MergeResult;
public sealed record MergeSameMember : MergeResult;
public sealed record MergeAlreadyMerged(long MemberId, long MergedInto) : MergeResult;
/// <summary>An automatic merge found a WeChat identity on the member it was to absorb: only a person may merge that.</summary>
public sealed record MergeNotProspect(long MemberId) : MergeResult;

/// <summary>
/// Makes two members who are the same person one: everything the merged member holds (identities, ledger entries,
/// balance, claimed product codes) moves to the survivor in one transaction, the merged member is marked
/// <c>merged_into</c> and an audit row is written. Both member rows are locked lower id first, the same order
/// PointsLedger's single-row locks fit into, so two merges of one pair queue instead of deadlocking.
/// Ledger rows are re-pointed, not copied: the survivor's history shows both pasts and the sum of its deltas stays its
/// balance (balance_after of a moved row is the merged member's running balance at that time).
/// The merged member's sessions are revoked after the commit (<see cref="MemberSessions.RevokeAllAsync"/>).
/// </summary>
public sealed class MemberMerger(MySqlDataSource db, MemberSessions sessions, TimeProvider time,
    IEnumerable<IMemberMergeParticipant> participants, ILogger<MemberMerger> logger)
{
    const string LockSql = "SELECT id AS Id, merged_into AS MergedInto, points_balance AS PointsBalance FROM members WHERE id = @id FOR UPDATE";

    // Members' own tables with a column referencing members.id (grep the migrations when adding one). Tables other
    // features own (orders, member_addresses, cart_items, referees) are moved by their IMemberMergeParticipant.
    static readonly (string Name, string Sql)[] Moves =
    [
        ("member_identities", "UPDATE member_identities SET member_id = @survivorId WHERE member_id = @mergedId"),
        ("points_ledger", "UPDATE points_ledger SET member_id = @survivorId WHERE member_id = @mergedId"),
        ("product_codes", "UPDATE product_codes SET claimed_by = @survivorId WHERE claimed_by = @mergedId"),
        // Credit lots follow the ledger (V8).
        ("points_lots", "UPDATE points_lots SET member_id = @survivorId WHERE member_id = @mergedId"),
        // Owed points (V14): the history follows the ledger; PointsOwed.MergeAsync moves the amount.
        ("points_owed_entries", "UPDATE points_owed_entries SET member_id = @survivorId WHERE member_id = @mergedId"),
    ];

    // A locking read: every path that gives a member a WeChat identity locks its members row first (a merge) or
    // finds it by an identity a prospect does not have (login), so under the row locks this answer cannot go stale.
    const string HasWeChatIdentitySql = """
        SELECT COUNT(*) FROM member_identities
        WHERE member_id = @mergedId AND kind IN ('mp_openid', 'oa_openid', 'unionid') LOCK IN SHARE MODE
        """;

    const string AuditSql = """
        INSERT INTO member_merges (survivor_id, merged_id, reason, moved, merged_by, created_at)
        VALUES (@survivorId, @mergedId, @reason, @moved, @mergedBy, @now);
        SELECT LAST_INSERT_ID();
        """;

    public Task<MergeResult> MergeAsync(long survivorId, long mergedId, string reason, string mergedBy, CancellationToken ct) =>
        MergeAsync(survivorId, mergedId, reason, mergedBy, prospectOnly: false, ct);

    /// <summary>
    /// Automatic merge on a verified phone: the caller survives and absorbs the number's holder, but only while the
    /// holder is a prospect (no WeChat identity of its own, e.g. imported with just a phone); otherwise
    /// <see cref="MergeNotProspect"/> and nothing changes. A member with a WeChat identity is someone who can sign in,
    /// and a phone (recycled, shared, swapped SIM) does not prove that the caller is that person.
    /// </summary>
    public Task<MergeResult> AbsorbProspectAsync(long callerId, long prospectId, CancellationToken ct) =>
        MergeAsync(callerId, prospectId, "same verified phone", "auto:phone", prospectOnly: true, ct);

    async Task<MergeResult> MergeAsync(long survivorId, long mergedId, string reason, string mergedBy, bool prospectOnly, CancellationToken ct)
    {
        if (survivorId == mergedId) return new MergeSameMember();
        // A product-code claim or points post holding a row the merge re-points can still deadlock with it;
        // InnoDB rolls one back, and the merge starts over (re-reading merged_into).
        return await LockConflictRetry.RunAsync(() => TryMergeAsync(survivorId, mergedId, reason, mergedBy, prospectOnly, ct), ct);
    }

    async Task<MergeResult> TryMergeAsync(long survivorId, long mergedId, string reason, string mergedBy, bool prospectOnly, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        MemberMergeDto audit;
        await using (var c = await db.OpenConnectionAsync(ct))
        await using (var tx = await c.BeginTransactionAsync(ct))
        {
            var rows = new Dictionary<long, MemberRow>();
            foreach (var id in new[] { Math.Min(survivorId, mergedId), Math.Max(survivorId, mergedId) })
            {
                if (await c.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(LockSql, new { id }, tx, cancellationToken: ct)) is not { } row)
                    return new MergeMemberNotFound(id);
                rows[id] = row;
            }
            foreach (var id in new[] { survivorId, mergedId })
                if (rows[id].MergedInto is { } into) return new MergeAlreadyMerged(id, into);
            if (prospectOnly && await c.ExecuteScalarAsync<long>(new CommandDefinition(HasWeChatIdentitySql, new { mergedId }, tx, cancellationToken: ct)) > 0)
                return new MergeNotProspect(mergedId);

            var moved = new Dictionary<string, int>();
            foreach (var (name, sql) in Moves)
                moved[name] = await c.ExecuteAsync(new CommandDefinition(sql, new { survivorId, mergedId }, tx, cancellationToken: ct));
            foreach (var participant in participants)
                await participant.MoveAsync(new MemberMergeStep(c, tx, survivorId, mergedId, moved), ct);
            var points = rows[mergedId].PointsBalance;
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE members SET points_balance = points_balance + @points, updated_at = @now WHERE id = @survivorId",
                new { points, now, survivorId }, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE members SET points_balance = 0, merged_into = @survivorId, merged_at = @now, updated_at = @now WHERE id = @mergedId",
                new { survivorId, mergedId, now }, tx, cancellationToken: ct));
            await PointsOwed.MergeAsync(c, tx, survivorId, mergedId, now, ct);
            var movedJson = JsonSerializer.Serialize(new Dictionary<string, object>(moved.Select(m => KeyValuePair.Create(m.Key, (object)m.Value)))
            { ["points"] = points });
            var auditId = await c.ExecuteScalarAsync<long>(new CommandDefinition(AuditSql,
                new { survivorId, mergedId, reason, moved = movedJson, mergedBy, now }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            audit = new MemberMergeDto(auditId, survivorId, mergedId, reason, moved, points, mergedBy, now);
        }
        Log.MembersMerged(logger, mergedId, survivorId, mergedBy);
        try
        {
            await sessions.RevokeAllAsync(mergedId, CancellationToken.None);
        }
        catch (Exception ex) when (MemberSessions.IsOutage(ex))
        {
            // The merged member is an empty shell now (no identities, points or codes) and PointsLedger refuses it.
            Log.MergedSessionsNotRevoked(logger, mergedId, ex.GetType().Name);
        }
        return new Merged(audit);
    }

    /// <summary>
    /// Automatic merge when a login finds its UnionID on another member: the older member (lower id) survives.
    /// Returns the member the login should be signed in as; any failure leaves the login as it was. A UnionID is the
    /// caller's own WeChat identity (WeChat issues it per person), and the returned member is always the one that holds
    /// the openid which made the request once the merge is done: never somebody else's account.
    /// </summary>
    public async Task<long> TryMergeOnLoginAsync(MemberLogin login, CancellationToken ct)
    {
        if (login.UnionIdHeldBy is not { } other) return login.MemberId;
        var survivor = Math.Min(login.MemberId, other);
        var merged = Math.Max(login.MemberId, other);
        try
        {
            return await MergeAsync(survivor, merged, "same UnionID", "auto:unionid", ct) switch
            {
                Merged => survivor,
                MergeAlreadyMerged { MemberId: var id, MergedInto: var into } when id == login.MemberId => into,
                _ => login.MemberId,
            };
        }
        // Whatever went wrong, the person still signs in, as the member their openid found (as before merges existed).
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            Log.AutoMergeFailed(logger, login.MemberId, other, ex.GetType().Name);
            return login.MemberId;
        }
    }

    sealed record MemberRow(long Id, long? MergedInto, long PointsBalance);
}

static partial class Log
{
    [LoggerMessage(7010, LogLevel.Information, "Member {MergedId} merged into member {SurvivorId} ({MergedBy})")]
    public static partial void MembersMerged(ILogger logger, long mergedId, long survivorId, string mergedBy);

    [LoggerMessage(7011, LogLevel.Warning, "Sessions of merged member {MergedId} could not be revoked: Redis failed with {Error}")]
    public static partial void MergedSessionsNotRevoked(ILogger logger, long mergedId, string error);

    [LoggerMessage(7012, LogLevel.Warning, "Automatic merge of members {MemberId} and {OtherMemberId} (same UnionID) failed with {Error}; login continues")]
    public static partial void AutoMergeFailed(ILogger logger, long memberId, long otherMemberId, string error);
}
