using Microsoft.Extensions.Options;
using MySqlConnector;

namespace WeChatMall.Api.Infrastructure.Outbox;

/// <summary>Sends due outbox rows with exponential backoff; a row that keeps failing ends as 'dead' (alarm in logs).</summary>
public sealed class OutboxWorker(
    OutboxStore store, IEnumerable<IOutboxHandler> handlers, IOptions<OutboxOptions> options,
    TimeProvider clock, ILogger<OutboxWorker> logger) : BackgroundService
{
    private readonly string worker = $"{Environment.MachineName}:{Guid.NewGuid():N}"[..Math.Min(64, Environment.MachineName.Length + 33)];
    private readonly Dictionary<string, IOutboxHandler> byKind = handlers.ToDictionary(h => h.Kind);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RunOnceAsync(stoppingToken) == 0)
                    await Task.Delay(TimeSpan.FromMilliseconds(o.PollIntervalMs), clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex)
            {
                Log.PollFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(2), clock, stoppingToken);
            }
        }
    }

    /// <summary>Claims and sends one batch; returns how many rows it handled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (byKind.Count == 0) return 0;
        var now = clock.GetUtcNow().UtcDateTime;
        // Only kinds this instance can send: during a rolling deploy an older instance leaves newer kinds alone.
        var rows = await store.ClaimAsync(worker, byKind.Keys, now, now.AddSeconds(o.ClaimSeconds), o.BatchSize, ct);
        foreach (var row in rows) await SendAsync(row, o, ct);
        return rows.Count;
    }

    // The batch shares one lease from the claim, and a slow WeChat can outlast it: another instance may then claim the
    // rows we have not reached yet. So each row's lease is taken again just before its send (skipped when it is no
    // longer ours) and renewed while the send runs, so no one else claims a row that is being sent.
    private async Task SendAsync(OutboxRow row, OutboxOptions o, CancellationToken ct)
    {
        if (!await store.ExtendLeaseAsync(row.Id, worker, LeaseEnd(o), ct))
        {
            Log.LeaseLost(logger, row.Id, row.Kind);
            return;
        }
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewing = RenewWhileSendingAsync(row, o, sending.Token);
        try
        {
            await SendClaimedAsync(row, o, ct);
        }
        finally
        {
            await sending.CancelAsync();
            await renewing;
        }
    }

    private DateTime LeaseEnd(OutboxOptions o) => clock.GetUtcNow().UtcDateTime.AddSeconds(o.ClaimSeconds);

    private async Task RenewWhileSendingAsync(OutboxRow row, OutboxOptions o, CancellationToken sending)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(o.ClaimSeconds / 3.0), clock, sending);
                if (!await store.ExtendLeaseAsync(row.Id, worker, LeaseEnd(o), sending)) Log.LeaseLost(logger, row.Id, row.Kind);
            }
        }
        catch (OperationCanceledException) when (sending.IsCancellationRequested) { }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException or TimeoutException)
        {
            // The send goes on; should the lease then run out, another instance could send the row a second time.
            Log.RenewFailed(logger, row.Id, ex.GetType().Name);
        }
    }

    private async Task SendClaimedAsync(OutboxRow row, OutboxOptions o, CancellationToken ct)
    {
        try
        {
            await byKind[row.Kind].HandleAsync(row.Payload, ct);
            await store.MarkSentAsync(row.Id, worker, clock.GetUtcNow().UtcDateTime, CancellationToken.None);
            Log.Sent(logger, row.Id, row.Kind);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
        catch (OutboxSkipped skipped)
        {
            await store.MarkSkippedAsync(row.Id, worker, skipped.Reason, CancellationToken.None);
            Log.Skipped(logger, row.Id, row.Kind, skipped.Reason);
        }
        catch (Exception ex)
        {
            var attempts = row.Attempts + 1;
            var dead = ex is OutboxPermanentFailure || attempts >= o.MaxAttempts;
            var delay = TimeSpan.FromSeconds(Math.Min(600, Math.Pow(2, attempts)));
            await store.MarkFailedAsync(row.Id, worker, ex.Message, clock.GetUtcNow().UtcDateTime + delay, dead, CancellationToken.None);
            if (dead) Log.Dead(logger, row.Id, row.Kind, attempts, ex.Message);
            else Log.WillRetry(logger, row.Id, row.Kind, attempts, delay.TotalSeconds, ex.Message);
        }
    }
}

static partial class Log
{
    [LoggerMessage(3001, LogLevel.Information, "Outbox message {Id} ({Kind}) sent")]
    public static partial void Sent(ILogger logger, long id, string kind);

    [LoggerMessage(3002, LogLevel.Warning, "Outbox message {Id} ({Kind}) failed on attempt {Attempts}; retry in {DelaySeconds} s: {Error}")]
    public static partial void WillRetry(ILogger logger, long id, string kind, int attempts, double delaySeconds, string error);

    [LoggerMessage(3003, LogLevel.Error, "Outbox message {Id} ({Kind}) is dead after {Attempts} attempt(s): {Error}")]
    public static partial void Dead(ILogger logger, long id, string kind, int attempts, string error);

    [LoggerMessage(3004, LogLevel.Error, "Outbox poll failed")]
    public static partial void PollFailed(ILogger logger, Exception ex);

    [LoggerMessage(3005, LogLevel.Warning, "Outbox message {Id} ({Kind}) is no longer ours (lease ran out, another instance claimed it): not sent here")]
    public static partial void LeaseLost(ILogger logger, long id, string kind);

    [LoggerMessage(3006, LogLevel.Warning, "Outbox message {Id}: its lease could not be renewed during the send ({Error})")]
    public static partial void RenewFailed(ILogger logger, long id, string error);

    [LoggerMessage(3007, LogLevel.Information, "Outbox message {Id} ({Kind}) skipped: {Reason}")]
    public static partial void Skipped(ILogger logger, long id, string kind, string reason);
}
