using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Followers;

/// <summary>Keeps the message log bounded: deletes in small batches so it never holds long locks.</summary>
public sealed class MessageRetentionJob(
    MySqlDataSource dataSource, IOptions<FollowerOptions> options, TimeProvider clock, ILogger<MessageRetentionJob> logger,
    JobServices jobs) : PeriodicJob(jobs)
{
    public override string Name => "MessageRetention";
    protected override TimeSpan DefaultInterval => TimeSpan.FromHours(1);
    protected override bool SingleInstance => true; // two instances deleting the same batches only contend on locks
    protected override Task RunAsync(CancellationToken ct) => PruneAsync(ct);

    private const int BatchSize = 5000;

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
}
