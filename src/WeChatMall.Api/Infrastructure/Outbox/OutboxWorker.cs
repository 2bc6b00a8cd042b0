using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Database;

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
                try
                {
                    if (!await store.ExtendLeaseAsync(row.Id, worker, LeaseEnd(o), sending)) Log.LeaseLost(logger, row.Id, row.Kind);
                }
                catch (Exception ex) when (ex is MySqlException or InvalidOperationException or TimeoutException)
                {
                    // Tried again at the next tick: the lease has two more thirds to run before anyone else may claim the row.
                    Log.RenewFailed(logger, row.Id, ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (sending.IsCancellationRequested) { }
    }

    private async Task SendClaimedAsync(OutboxRow row, OutboxOptions o, CancellationToken ct)
    {
        Exception? failure = null;
        string? skipReason = null;
        try
        {
            await byKind[row.Kind].HandleAsync(row.Payload, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
        catch (OutboxSkipped skipped) { skipReason = skipped.Reason; }
        catch (Exception ex) { failure = ex; }

        // Only the handler's own failure makes a retry. Recording the outcome is a separate step with its own retries:
        // had a deadlock while recording "sent" counted as a failed send, WeChat would get the message a second time.
        try
        {
            await LockConflictRetry.RunAsync(() => SettleAsync(row, o, failure, skipReason), CancellationToken.None);
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException or TimeoutException)
        {
            Log.SettleFailed(logger, row.Id, row.Kind, skipReason is not null ? "skipped" : failure is null ? "sent" : "failed", ex);
            throw;
        }
    }

    private async Task SettleAsync(OutboxRow row, OutboxOptions o, Exception? failure, string? skipReason)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (skipReason is not null)
        {
            await store.MarkSkippedAsync(row.Id, worker, skipReason, CancellationToken.None);
            Log.Skipped(logger, row.Id, row.Kind, skipReason);
        }
        else if (failure is null)
        {
            await store.MarkSentAsync(row.Id, worker, now, CancellationToken.None);
            Log.Sent(logger, row.Id, row.Kind);
        }
        else
        {
            var attempts = row.Attempts + 1;
            var dead = failure is OutboxPermanentFailure || attempts >= o.MaxAttempts;
            var delay = TimeSpan.FromSeconds(Math.Min(600, Math.Pow(2, attempts)));
            await store.MarkFailedAsync(row.Id, worker, failure.Message, now + delay, dead, CancellationToken.None);
            if (dead) Log.Dead(logger, row.Id, row.Kind, attempts, failure.Message);
            else Log.WillRetry(logger, row.Id, row.Kind, attempts, delay.TotalSeconds, failure.Message);
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

    [LoggerMessage(3008, LogLevel.Error, "Outbox message {Id} ({Kind}) was {Outcome} but that could not be recorded; when its lease runs out it is tried again")]
    public static partial void SettleFailed(ILogger logger, long id, string kind, string outcome, Exception ex);
}
