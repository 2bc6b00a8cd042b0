using System.Data.Common;
using Dapper;

namespace WeChatMall.Api.Features.Journeys;

/// <summary>
/// Every move of a journey's state machine, in one table: a conditional UPDATE plus a journey_events row, inside the
/// caller's transaction (which also moves the journey's send-step campaigns, <see cref="JourneyCampaigns"/>).
/// </summary>
public sealed class JourneyTransitions(TimeProvider time)
{
    public enum Move { Activate, Pause, Resume, Archive }

    static readonly Dictionary<Move, (string[] From, string To)> Moves = new()
    {
        [Move.Activate] = ([JourneyStatus.Draft], JourneyStatus.Active),
        [Move.Pause] = ([JourneyStatus.Active], JourneyStatus.Paused),
        [Move.Resume] = ([JourneyStatus.Paused], JourneyStatus.Active),
        [Move.Archive] = ([JourneyStatus.Draft, JourneyStatus.Active, JourneyStatus.Paused], JourneyStatus.Archived),
    };

    /// <summary>A definition may be edited (a new version saved) in these states.</summary>
    public static bool CanEdit(string status) => status != JourneyStatus.Archived;

    /// <summary>Applies <paramref name="move"/> if the journey is in one of its from-states; false otherwise (nothing changed).</summary>
    public async Task<bool> ApplyAsync(DbConnection c, DbTransaction tx, long journeyId, Move move, CancellationToken ct)
    {
        var (from, to) = Moves[move];
        var now = time.GetUtcNow().UtcDateTime;
        var current = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM journeys WHERE id = @journeyId FOR UPDATE", new { journeyId }, tx, cancellationToken: ct));
        if (current is null || !from.Contains(current)) return false;
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE journeys SET status = @to, updated_at = @now, activated_at = IF(@to = 'active', COALESCE(activated_at, @now), activated_at)
            WHERE id = @journeyId AND status = @current
            """, new { journeyId, to, current, now }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO journey_events (journey_id, from_status, to_status, created_at) VALUES (@journeyId, @current, @to, @now)
            """, new { journeyId, current, to, now }, tx, cancellationToken: ct));
        return true;
    }
}
