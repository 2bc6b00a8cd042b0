using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace WeChatMall.Api.Features.Followers;

/// <summary>Keeps the message log bounded: deletes in small batches so it never holds long locks.</summary>
public sealed class MessageRetentionJob(
    MySqlDataSource dataSource, IOptions<FollowerOptions> options, TimeProvider clock, ILogger<MessageRetentionJob> logger)
    : BackgroundService
{
    private const int BatchSize = 5000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.RetentionIntervalMinutes), clock);
        do
        {
            try { await PruneAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (MySqlException ex) { Log.PruneFailed(logger, ex); }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-options.Value.MessageRetentionDays);
        var total = 0;
        int deleted;
        do
        {
            await using var c = await dataSource.OpenConnectionAsync(ct);
            deleted = await c.ExecuteAsync(new CommandDefinition(
                "DELETE FROM follower_messages WHERE received_at < @cutoff ORDER BY received_at LIMIT @BatchSize",
                new { cutoff, BatchSize }, cancellationToken: ct));
            total += deleted;
        } while (deleted == BatchSize);
        if (total > 0) Log.Pruned(logger, total, cutoff);
        return total;
    }
}

static partial class Log
{
    [LoggerMessage(4201, LogLevel.Information, "Deleted {Count} follower messages received before {Cutoff:o}")]
    public static partial void Pruned(ILogger logger, int count, DateTime cutoff);

    [LoggerMessage(4202, LogLevel.Error, "Pruning the follower message log failed; will retry next interval")]
    public static partial void PruneFailed(ILogger logger, Exception ex);
}
