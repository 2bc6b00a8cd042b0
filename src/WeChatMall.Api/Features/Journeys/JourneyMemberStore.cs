using System.Data.Common;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Journeys;

/// <summary>A member in a journey, as the worker that claimed it sees it.</summary>
public sealed record JourneyMemberRow
{
    public long JourneyId { get; init; }
    public long MemberId { get; init; }
    public int Version { get; init; }
    public int Step { get; init; }
    public DateTime StepSince { get; init; }
    public DateTime EnteredAt { get; init; }
}

/// <summary>
/// The one writer of journey_members and journey_step_passes. A member enters a journey once (the primary key), is
/// claimed by one worker at a time (claim token, lapsing after a while so a dead worker's members are taken over), and
/// passes a step by inserting its journey_step_passes row — a primary key per (journey, member, step) — in the same
/// transaction as the step's effect and the move to the next step, so a step's effect happens at most once whatever
/// the number of instances, crashes and retries.
/// </summary>
public sealed class JourneyMemberStore(MySqlDataSource db, TimeProvider time)
{
    /// <summary>Lets in the members a trigger's SELECT (member_id, entered) names, on the journey's current version; returns how many.</summary>
    public async Task<int> EnrolAsync(long journeyId, int version, JourneyTriggers.Query q, CancellationToken ct)
    {
        var p = new DynamicParameters(q.Parameters);
        p.AddDynamicParams(new { journeyId, version, stamp = time.GetUtcNow().UtcDateTime });
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition($"""
            INSERT IGNORE INTO journey_members (journey_id, member_id, version, state, step, step_since, next_at, entered_at, updated_at)
            SELECT @journeyId, e.member_id, @version, 'active', 0, e.entered, @stamp, e.entered, @stamp
            FROM ({q.Sql}) AS e
            WHERE NOT EXISTS (SELECT 1 FROM journey_members j WHERE j.journey_id = @journeyId AND j.member_id = e.member_id)
            """, p, cancellationToken: ct, commandTimeout: 300));
    }

    /// <summary>Active members of a version who have paid for an order since they entered leave it (the "bought" goal).</summary>
    public async Task<int> ExitBuyersAsync(long journeyId, int version, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition($"""
            UPDATE journey_members SET state = 'exited_goal', exited_at = @now, claim_token = NULL, claimed_until = NULL, updated_at = @now
            WHERE journey_id = @journeyId AND version = @version AND state = 'active' AND (claimed_until IS NULL OR claimed_until < @now)
              AND EXISTS (SELECT 1 FROM member_stats s WHERE s.member_id = journey_members.member_id
                          AND {BoughtSince.Sql("s.last_paid_at", "journey_members.entered_at")})
            """, new { journeyId, version, now }, cancellationToken: ct));
    }

    /// <summary>Versions that still have members inside.</summary>
    public async Task<IReadOnlyList<int>> LiveVersionsAsync(long journeyId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<int>(new CommandDefinition(
            "SELECT DISTINCT version FROM journey_members WHERE journey_id = @journeyId AND state = 'active'", new { journeyId }, cancellationToken: ct))).AsList();
    }

    /// <summary>Claims up to <paramref name="limit"/> members that are due (or whose claim lapsed) for <paramref name="token"/>.</summary>
    public async Task<IReadOnlyList<JourneyMemberRow>> ClaimAsync(long journeyId, string token, int limit, TimeSpan hold, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        // One statement: InnoDB locks each row it updates, so two instances never claim the same member.
        var claimed = await c.ExecuteAsync(new CommandDefinition("""
            UPDATE journey_members SET claim_token = @token, claimed_until = @until, updated_at = @now
            WHERE journey_id = @journeyId AND state = 'active' AND next_at <= @now AND (claimed_until IS NULL OR claimed_until < @now)
            ORDER BY member_id LIMIT @limit
            """, new { journeyId, token, limit, now, until = now + hold }, cancellationToken: ct));
        if (claimed == 0) return [];
        return (await c.QueryAsync<JourneyMemberRow>(new CommandDefinition("""
            SELECT journey_id AS JourneyId, member_id AS MemberId, version AS Version, step AS Step, step_since AS StepSince, entered_at AS EnteredAt
            FROM journey_members WHERE journey_id = @journeyId AND claim_token = @token AND state = 'active' ORDER BY member_id
            """, new { journeyId, token }, cancellationToken: ct))).AsList();
    }

    /// <summary>The member waits at its step until <paramref name="until"/>; the claim is given up.</summary>
    public async Task WaitAsync(JourneyMemberRow m, string token, DateTime until, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE journey_members SET next_at = @until, claim_token = NULL, claimed_until = NULL, updated_at = @now
            WHERE journey_id = @JourneyId AND member_id = @MemberId AND claim_token = @token
            """, new { m.JourneyId, m.MemberId, token, until, now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    /// <summary>The member leaves the journey (completed, goal reached, branch said so); false when the claim was lost.</summary>
    public async Task<bool> LeaveAsync(DbConnection? c, DbTransaction? tx, JourneyMemberRow m, string token, string state, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var own = c is null ? await db.OpenConnectionAsync(ct) : null;
        try
        {
            return await (c ?? own!).ExecuteAsync(new CommandDefinition("""
                UPDATE journey_members SET state = @state, exited_at = @now, claim_token = NULL, claimed_until = NULL, updated_at = @now
                WHERE journey_id = @JourneyId AND member_id = @MemberId AND claim_token = @token AND state = 'active'
                """, new { m.JourneyId, m.MemberId, token, state, now }, tx, cancellationToken: ct)) == 1;
        }
        finally
        {
            if (own is not null) await own.DisposeAsync();
        }
    }

    /// <summary>
    /// Records that the member passed its current step with <paramref name="outcome"/>; false when it already had (the
    /// primary key) — the caller then rolls back the step's effect.
    /// </summary>
    public static async Task<bool> RecordPassAsync(DbConnection c, DbTransaction tx, JourneyMemberRow m, string outcome, DateTime now, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO journey_step_passes (journey_id, member_id, version, step, outcome, passed_at)
            VALUES (@JourneyId, @MemberId, @Version, @Step, @outcome, @now)
            """, new { m.JourneyId, m.MemberId, m.Version, m.Step, outcome, now }, tx, cancellationToken: ct)) == 1;

    /// <summary>Moves the member from its current step to <paramref name="next"/>, under its claim; false when the claim was lost.</summary>
    public static async Task<bool> MoveAsync(DbConnection c, DbTransaction tx, JourneyMemberRow m, string token, int next, DateTime now, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE journey_members SET step = @next, step_since = @now, next_at = @now, updated_at = @now
            WHERE journey_id = @JourneyId AND member_id = @MemberId AND claim_token = @token AND step = @Step AND state = 'active'
            """, new { m.JourneyId, m.MemberId, m.Step, token, next, now }, tx, cancellationToken: ct)) == 1;
}
