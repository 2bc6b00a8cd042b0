using System.Data.Common;
using Dapper;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>
/// Every move of a campaign's state machine, in one table: a conditional UPDATE plus a campaign_events row, inside the
/// caller's transaction. Workers re-read the status before every batch, so pause and cancel stop sending within one batch.
/// </summary>
public sealed class CampaignTransitions(TimeProvider time)
{
    public enum Move { Start, StartForApproval, Approve, Run, Pause, Resume, Park, Unpark, Complete, Cancel }

    static readonly Dictionary<Move, (string[] From, string To)> Moves = new()
    {
        [Move.Start] = ([CampaignStatus.Draft], CampaignStatus.Scheduled),
        [Move.StartForApproval] = ([CampaignStatus.Draft], CampaignStatus.AwaitingApproval),
        [Move.Approve] = ([CampaignStatus.AwaitingApproval], CampaignStatus.Scheduled),
        [Move.Run] = ([CampaignStatus.Scheduled], CampaignStatus.Running),
        [Move.Pause] = ([CampaignStatus.Scheduled, CampaignStatus.Running, CampaignStatus.Parked], CampaignStatus.Paused),
        [Move.Resume] = ([CampaignStatus.Paused], CampaignStatus.Scheduled),
        [Move.Park] = ([CampaignStatus.Running], CampaignStatus.Parked),
        [Move.Unpark] = ([CampaignStatus.Parked], CampaignStatus.Running),
        [Move.Complete] = ([CampaignStatus.Running], CampaignStatus.Completed),
        [Move.Cancel] = ([CampaignStatus.Draft, CampaignStatus.AwaitingApproval, CampaignStatus.Scheduled, CampaignStatus.Running,
            CampaignStatus.Paused, CampaignStatus.Parked], CampaignStatus.Cancelled),
    };

    /// <summary>Applies <paramref name="move"/> if the campaign is in one of its from-states; false otherwise (nothing changed).</summary>
    public async Task<bool> ApplyAsync(DbConnection c, DbTransaction tx, long campaignId, Move move, string? note, CancellationToken ct,
        DateTime? parkedUntil = null)
    {
        var (from, to) = Moves[move];
        var now = time.GetUtcNow().UtcDateTime;
        var current = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM campaigns WHERE id = @campaignId FOR UPDATE", new { campaignId }, tx, cancellationToken: ct));
        if (current is null || !from.Contains(current)) return false;
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaigns SET status = @to, updated_at = @now,
                parked_until = @parkedUntil, park_reason = IF(@to = 'parked', @note, NULL),
                approved_at = IF(@to = 'scheduled' AND @current = 'awaiting_approval', @now, approved_at),
                started_at = IF(@to = 'running' AND started_at IS NULL, @now, started_at),
                finished_at = IF(@to IN ('completed', 'cancelled'), @now, finished_at)
            WHERE id = @campaignId AND status = @current
            """, new { campaignId, to, current, now, parkedUntil, note }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO campaign_events (campaign_id, from_status, to_status, note, created_at) VALUES (@campaignId, @current, @to, @note, @now)
            """, new { campaignId, current, to, note, now }, tx, cancellationToken: ct));
        return true;
    }
}
