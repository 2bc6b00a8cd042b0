using System.Globalization;
using Cronos;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Audience.Segments;
using WeChatMall.Api.Infrastructure.Database;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>
/// Recurring campaigns (docs/campaigns.md#recurring-campaigns): a definition with a cron in China time makes one run per
/// occurrence, each a campaign of its own with the segment frozen at that occurrence. Called by the delivery engine in
/// every instance: the definition row's lock and the unique key (parent_id, occurrence_at) make each run exactly once.
/// Occurrences missed while every instance was down collapse into one run, for the latest of them.
/// </summary>
public sealed class CampaignRecurrence(
    MySqlDataSource db, SegmentMembers segments, RecipientStore recipients, CampaignStore campaigns, CampaignTransitions transitions,
    TimeProvider time, ILogger<CampaignRecurrence> logger)
{
    public const int MaxCronLength = 100;

    /// <summary>What is wrong with a cron for a campaign: null, or a stable code and a sentence.</summary>
    public static (string Code, string Detail)? Check(string? cron, TimeSpan minInterval, DateTime utcNow)
    {
        if (string.IsNullOrWhiteSpace(cron) || cron.Length > MaxCronLength)
            return ("CAMPAIGN_CRON_INVALID", $"recurrence.cron: give 5 fields (minute hour day-of-month month day-of-week), at most {MaxCronLength} characters.");
        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(cron.Trim(), CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            return ("CAMPAIGN_CRON_INVALID", $"recurrence.cron: {e.Message}");
        }
        var first = expression.GetNextOccurrence(Utc(utcNow), ChinaTime.Zone);
        if (first is null) return ("CAMPAIGN_CRON_NEVER", "recurrence.cron: this schedule never occurs (e.g. 30 February).");
        // Every firing day repeats the same hours and minutes, so five weeks of occurrences show the shortest gap, also across midnight.
        var (previous, shortest) = (first.Value, TimeSpan.MaxValue);
        var until = first.Value.AddDays(35);
        for (var i = 0; i < 2_000 && expression.GetNextOccurrence(previous, ChinaTime.Zone) is { } next && next <= until; i++)
        {
            if (next - previous < shortest) shortest = next - previous;
            previous = next;
        }
        return shortest < minInterval
            ? ("CAMPAIGN_CRON_TOO_FREQUENT", $"recurrence.cron: runs {shortest.TotalMinutes:0} minutes apart; at least {minInterval.TotalMinutes:0} minutes are allowed.")
            : null;
    }

    /// <summary>The first occurrence strictly after <paramref name="utc"/>, in UTC; null when there is none.</summary>
    public static DateTime? NextAfter(string cron, DateTime utc) =>
        CronExpression.Parse(cron.Trim(), CronFormat.Standard).GetNextOccurrence(Utc(utc), ChinaTime.Zone);

    static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);

    /// <summary>Makes the run of every definition whose occurrence has come; returns how many runs this instance made.</summary>
    public async Task<int> OccurDueAsync(CancellationToken ct)
    {
        var made = 0;
        foreach (var definition in await campaigns.DueDefinitionsAsync(ct))
            if (await OccurAsync(definition, ct) is not null) made++;
        return made;
    }

    async Task<long?> OccurAsync(CampaignRow definition, CancellationToken ct)
    {
        var now = Utc(time.GetUtcNow().UtcDateTime);
        var cron = CronExpression.Parse(definition.RecurrenceCron!.Trim(), CronFormat.Standard);
        var due = Utc(definition.NextRunAt!.Value);
        // Missed occurrences (every instance was down) collapse into the latest: one run, never a burst of stale ones.
        var occurrence = due;
        while (cron.GetNextOccurrence(occurrence, ChinaTime.Zone) is { } later && later <= now) occurrence = later;
        var next = cron.GetNextOccurrence(occurrence, ChinaTime.Zone);
        var rule = await segments.SavedAsync(definition.SegmentId, ct);
        var run = await LockConflictRetry.RunAsync(async () =>
        {
            await using var c = await db.OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            // The definition's lock: an instance that read the same due occurrence waits here, then finds it taken.
            var current = await c.QuerySingleOrDefaultAsync<(string Status, DateTime? NextRunAt)>(new CommandDefinition(
                "SELECT status, next_run_at FROM campaigns WHERE id = @id FOR UPDATE", new { id = definition.Id }, tx, cancellationToken: ct));
            if (current.Status != CampaignStatus.Recurring || current.NextRunAt != definition.NextRunAt) return (long?)null;
            var china = ChinaTime.Of(occurrence).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            long? runId = null;
            if (rule is not null && (runId = await CampaignStore.CreateRunAsync(c, tx, definition.Id, occurrence, now, ct)) is { } id)
            {
                var frozen = await recipients.FreezeAsync(c, tx, id, rule, ct);
                await CampaignStore.SetAudienceSizeAsync(c, tx, id, frozen, ct);
                await transitions.ApplyAsync(c, tx, id, CampaignTransitions.Move.Start, $"occurrence {china} of campaign {definition.Id}: {frozen} recipients", ct);
            }
            var note = runId is { } made ? $"run {made} for {china}" : rule is null ? $"{china} skipped: segment {definition.SegmentId} is gone" : $"{china} already run";
            await transitions.ApplyAsync(c, tx, definition.Id, CampaignTransitions.Move.Occur, note, ct, nextRunAt: next);
            await tx.CommitAsync(ct);
            return runId;
        }, ct);
        if (run is { } r) Log.Occurred(logger, definition.Id, r, occurrence, occurrence != due);
        return run;
    }
}
