using System.Data.Common;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Channels;

/// <summary>A follower import run, as the admin sees it (GET /admin/channels/follower-sync).</summary>
public sealed record FollowerSyncRun
{
    public long Id { get; init; }
    public required string Status { get; init; }
    public required string CursorOpenid { get; init; }
    public string? PageLastOpenid { get; init; }
    public long? Total { get; init; }
    public long Imported { get; init; }
    public int Pages { get; init; }
    public int Failures { get; init; }
    public string? LastError { get; init; }
    public DateTime StartedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
}

/// <summary>The follower_sync_runs table: one running run at most (a unique key), its cursor moved with each import.</summary>
public sealed class FollowerSyncStore(MySqlDataSource db)
{
    const string Columns = "id, status, cursor_openid, page_last_openid, total, imported, pages, failures, last_error, started_at, updated_at, finished_at";

    /// <summary>Starts a run, or returns the one already running (started = false).</summary>
    public async Task<(FollowerSyncRun Run, bool Started)> StartAsync(DateTime now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        try
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO follower_sync_runs (status, started_at, updated_at) VALUES ('running', @now, @now)", new { now }, cancellationToken: ct));
            return ((await RunningAsync(ct))!, true);
        }
        catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return ((await RunningAsync(ct))!, false);
        }
    }

    public async Task<FollowerSyncRun?> RunningAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<FollowerSyncRun>(new CommandDefinition(
            $"SELECT {Columns} FROM follower_sync_runs WHERE status = 'running'", cancellationToken: ct));
    }

    public async Task<FollowerSyncRun?> LatestAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<FollowerSyncRun>(new CommandDefinition(
            $"SELECT {Columns} FROM follower_sync_runs ORDER BY id DESC LIMIT 1", cancellationToken: ct));
    }

    /// <summary>Records that <paramref name="imported"/> more followers are in, up to <paramref name="lastOpenId"/> of the current page.</summary>
    public static Task AdvanceInPageAsync(DbConnection c, DbTransaction tx, long runId, string lastOpenId, int imported, long total, DateTime now, CancellationToken ct)
        => c.ExecuteAsync(new CommandDefinition("""
            UPDATE follower_sync_runs SET page_last_openid = @lastOpenId, imported = imported + @imported, total = @total, updated_at = @now
            WHERE id = @runId AND status = 'running'
            """, new { runId, lastOpenId, imported, total, now }, tx, cancellationToken: ct));

    /// <summary>The page is done: the next one is fetched with <paramref name="nextCursor"/>.</summary>
    public async Task NextPageAsync(long runId, string nextCursor, DateTime now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE follower_sync_runs SET cursor_openid = @nextCursor, page_last_openid = NULL, pages = pages + 1, updated_at = @now
            WHERE id = @runId AND status = 'running'
            """, new { runId, nextCursor, now }, cancellationToken: ct));
    }

    public async Task CompleteAsync(long runId, DateTime now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE follower_sync_runs SET status = 'completed', finished_at = @now, updated_at = @now WHERE id = @runId AND status = 'running'",
            new { runId, now }, cancellationToken: ct));
    }

    public async Task RecordFailureAsync(long runId, string error, DateTime now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE follower_sync_runs SET failures = failures + 1, last_error = @error, updated_at = @now WHERE id = @runId",
            new { runId, error = error.Length > 255 ? error[..255] : error, now }, cancellationToken: ct));
    }
}
