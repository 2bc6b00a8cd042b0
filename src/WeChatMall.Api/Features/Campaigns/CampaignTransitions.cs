using System.Data.Common;
using Dapper;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>
/// Every move of a campaign's state machine, in one table: a conditional UPDATE plus a campaign_events row, inside the
/// caller's transaction. Workers re-read the status before every batch, so pause and cancel stop sending within one batch.
/// A recurring campaign's definition moves draft → recurring (→ paused → recurring) → cancelled, and stays recurring at
/// every occurrence (<see cref="Move.Occur"/>, which records the run and the next occurrence); next_run_at is set here,
/// on every move into recurring, and cleared on every move out of it.
/// </summary>
public sealed class CampaignTransitions(TimeProvider time)
{
    public enum Move { Start, StartForApproval, Approve, Run, Pause, Resume, Park, Unpark, Complete, Cancel, Recur, ApproveRecurring, ResumeRecurring, Occur }

    static readonly Dictionary<Move, (string[] From, string To)> Moves = new()
    {
        [Move.Start] = ([CampaignStatus.Draft], CampaignStatus.Scheduled),
        [Move.StartForApproval] = ([CampaignStatus.Draft], CampaignStatus.AwaitingApproval),
        [Move.Approve] = ([CampaignStatus.AwaitingApproval], CampaignStatus.Scheduled),
        [Move.Run] = ([CampaignStatus.Scheduled], CampaignStatus.Running),
        [Move.Pause] = ([CampaignStatus.Scheduled, CampaignStatus.Running, CampaignStatus.Parked, CampaignStatus.Recurring], CampaignStatus.Paused),
        [Move.Resume] = ([CampaignStatus.Paused], CampaignStatus.Scheduled),
        [Move.Park] = ([CampaignStatus.Running], CampaignStatus.Parked),
        [Move.Unpark] = ([CampaignStatus.Parked], CampaignStatus.Running),
        [Move.Complete] = ([CampaignStatus.Running], CampaignStatus.Completed),
        [Move.Cancel] = ([CampaignStatus.Draft, CampaignStatus.AwaitingApproval, CampaignStatus.Scheduled, CampaignStatus.Running,
            CampaignStatus.Paused, CampaignStatus.Parked, CampaignStatus.Recurring], CampaignStatus.Cancelled),
        [Move.Recur] = ([CampaignStatus.Draft], CampaignStatus.Recurring),
        [Move.ApproveRecurring] = ([CampaignStatus.AwaitingApproval], CampaignStatus.Recurring),
        [Move.ResumeRecurring] = ([CampaignStatus.Paused], CampaignStatus.Recurring),
        [Move.Occur] = ([CampaignStatus.Recurring], CampaignStatus.Recurring),
    };

    // A definition starts, is approved and resumes into 'recurring' instead of 'scheduled'.
    static Move ForDefinition(Move move) => move switch
    {
        Move.Start => Move.Recur,
        Move.Approve => Move.ApproveRecurring,
        Move.Resume => Move.ResumeRecurring,
        _ => move,
    };

    /// <summary>
    /// Applies <paramref name="move"/> if the campaign is in one of its from-states; false otherwise (nothing changed).
    /// <paramref name="nextRunAt"/>: the occurrence after the one just run (<see cref="Move.Occur"/> only; other moves into
    /// recurring take the first occurrence after now).
    /// </summary>
    public async Task<bool> ApplyAsync(DbConnection c, DbTransaction tx, long campaignId, Move move, string? note, CancellationToken ct,
        DateTime? parkedUntil = null, DateTime? nextRunAt = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var row = await c.QuerySingleOrDefaultAsync<(string Status, string? Cron)>(new CommandDefinition(
            "SELECT status, recurrence_cron FROM campaigns WHERE id = @campaignId FOR UPDATE", new { campaignId }, tx, cancellationToken: ct));
        var current = row.Status;
        if (row.Cron is { } cron)
        {
            move = ForDefinition(move);
            if (move != Move.Occur) nextRunAt = CampaignRecurrence.NextAfter(cron, now);
        }
        var (from, to) = Moves[move];
        if (current is null || !from.Contains(current)) return false;
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaigns SET status = @to, updated_at = @now,
                parked_until = @parkedUntil, park_reason = IF(@to = 'parked', @note, NULL),
                next_run_at = IF(@to = 'recurring', @nextRunAt, NULL),
                approved_at = IF(@to IN ('scheduled', 'recurring') AND @current = 'awaiting_approval', @now, approved_at),
                started_at = IF(@to = 'running' AND started_at IS NULL, @now, started_at),
                finished_at = IF(@to IN ('completed', 'cancelled'), @now, finished_at)
            WHERE id = @campaignId AND status = @current
            """, new { campaignId, to, current, now, parkedUntil, note, nextRunAt }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO campaign_events (campaign_id, from_status, to_status, note, created_at) VALUES (@campaignId, @current, @to, @note, @now)
            """, new { campaignId, current, to, note, now }, tx, cancellationToken: ct));
        return true;
    }
}
