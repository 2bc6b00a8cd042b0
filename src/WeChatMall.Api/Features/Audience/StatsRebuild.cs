using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Audience.Rfm;
using WeChatMall.Api.Features.Audience.Tags;

namespace WeChatMall.Api.Features.Audience;

public sealed record RebuildDto(long Id, string Status, long Processed, long Total, string? Error, DateTime StartedAt, DateTime? FinishedAt);

/// <summary>
/// Recomputes every member's stats from the source tables in member-id batches (one transaction each), then measures
/// the RFM thresholds and re-scores, then recomputes every rule tag. Progress goes to audience_rebuilds. The nightly
/// pass runs it too, which is also what ages R (days since the last order) and moves the average thresholds.
/// </summary>
public sealed class StatsRebuild(MySqlDataSource db, MemberStats stats, RfmSettingsStore rfm, TagRules rules, IOptions<AudienceOptions> options,
    TimeProvider time, ILogger<StatsRebuild> logger)
{
    const string RunColumns = "id AS Id, status AS Status, processed AS Processed, total AS Total, error AS Error, started_at AS StartedAt, finished_at AS FinishedAt";

    public async Task<long> StartAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO audience_rebuilds (status, total, started_at)
            VALUES ('running', (SELECT COUNT(*) FROM members WHERE merged_into IS NULL), @now);
            SELECT LAST_INSERT_ID();
            """, new { now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    public async Task<RebuildDto?> FindAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<RebuildDto>(new CommandDefinition(
            $"SELECT {RunColumns} FROM audience_rebuilds WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<DateTime?> LastSucceededAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT MAX(finished_at) FROM audience_rebuilds WHERE status = 'succeeded'", cancellationToken: ct));
    }

    /// <summary>Runs a rebuild recorded by <see cref="StartAsync"/> to the end; failures are recorded on its row.</summary>
    public async Task RunAsync(long id, CancellationToken ct)
    {
        try
        {
            var processed = await RebuildAsync(id, ct);
            await FinishAsync(id, "succeeded", null, CancellationToken.None);
            Log.RebuildFinished(logger, id, processed);
        }
        catch (Exception ex)
        {
            await FinishAsync(id, "failed", ex.GetType().Name + ": " + ex.Message, CancellationToken.None);
            Log.RebuildFailed(logger, ex, id);
            throw;
        }
    }

    async Task<long> RebuildAsync(long id, CancellationToken ct)
    {
        var batch = options.Value.RebuildBatchSize;
        long maxId, processed = 0;
        RfmModel model;
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            maxId = await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(id) FROM members", cancellationToken: ct)) ?? 0;
            model = await rfm.ModelAsync(c, null, ct);
        }
        for (long from = 1; from <= maxId; from += batch)
        {
            await using var c = await db.OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            processed += await stats.RefreshRangeAsync(c, tx, from, from + batch - 1, model, ct);
            await c.ExecuteAsync(new CommandDefinition("UPDATE audience_rebuilds SET processed = @processed WHERE id = @id",
                new { processed, id }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
        // The thresholds are measured over the fresh stats, then every member is scored against them.
        model = await rfm.MeasureAsync(ct);
        for (long from = 1; from <= maxId; from += batch)
        {
            await using var c = await db.OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            await stats.RescoreRangeAsync(c, tx, from, from + batch - 1, model, ct);
            await tx.CommitAsync(ct);
        }
        await rules.RefreshAllAsync(null, ct);
        return processed;
    }

    async Task FinishAsync(long id, string status, string? error, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE audience_rebuilds SET status = @status, error = @error, finished_at = @now WHERE id = @id",
            new { id, status, error = error is { Length: > 512 } ? error[..512] : error, now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }
}
