using System.Text.Json;
using Microsoft.Extensions.Options;
using MySqlConnector;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Features.Callback;

/// <summary>
/// Drains the callback event stream into MySQL in batches (one transaction per batch). Every instance runs one,
/// in a shared consumer group, so each event is written by one of them; entries are acknowledged and deleted only
/// after the commit, and entries a dead instance had claimed are taken over after <see cref="ClaimIdle"/>.
/// </summary>
public sealed class CallbackEventWriter(
    IDatabase redis, CallbackRecorder recorder, IOptions<CallbackOptions> options, TimeProvider clock,
    ILogger<CallbackEventWriter> logger)
    : BackgroundService
{
    private const string Group = "writers";
    // Up to this many events per transaction: one multi-row insert, one commit and one acknowledgement per batch,
    // so a backlog is drained with far fewer round trips than it was queued with.
    private const int BatchSize = 500;
    private static readonly TimeSpan ClaimIdle = TimeSpan.FromSeconds(30);
    private readonly string consumer = $"{Environment.MachineName}-{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.EventWriterEnabled) return;
        var nextClaim = clock.GetUtcNow();
        var legacyMoved = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!legacyMoved) legacyMoved = await MoveLegacyStreamAsync();
                await EnsureGroupAsync();
                StreamEntry[] entries;
                if (clock.GetUtcNow() >= nextClaim)
                {
                    entries = (await redis.StreamAutoClaimAsync(CallbackGate.StreamKey, Group, consumer,
                        (long)ClaimIdle.TotalMilliseconds, "0-0", BatchSize)).ClaimedEntries;
                    nextClaim = clock.GetUtcNow().AddSeconds(10);
                    if (entries.Length == 0) entries = await ReadNewAsync();
                }
                else entries = await ReadNewAsync();
                retryOwnPending = false;

                if (entries.Length == 0) await Task.Delay(TimeSpan.FromMilliseconds(50), clock, stoppingToken);
                else await WriteAsync(entries, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
            {
                // The stream or its group is gone (Redis restarted without persistence, flushed, evicted, deleted).
                // Recreate the group from the start of whatever the stream holds now, so events queued since are written.
                Log.WriterGroupLost(logger);
                (groupReady, retryOwnPending) = (false, false);
            }
            catch (Exception ex) when (ex is RedisException or MySqlException or TimeoutException)
            {
                // Entries stay pending in the group and are retried; nothing is acknowledged before it is committed.
                Log.WriterFailed(logger, ex);
                retryOwnPending = true;
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
            }
        }
    }

    // After a failed batch, read our own pending entries again ("0") before taking new ones (">").
    private bool retryOwnPending;

    private async Task<StreamEntry[]> ReadNewAsync() =>
        await redis.StreamReadGroupAsync(CallbackGate.StreamKey, Group, consumer, retryOwnPending ? "0-0" : ">", BatchSize);

    private async Task WriteAsync(StreamEntry[] entries, CancellationToken ct)
    {
        var batch = new List<RecordedCallback>(entries.Length);
        foreach (var entry in entries)
        {
            try { batch.Add(JsonSerializer.Deserialize((byte[])entry["e"]!, CallbackJson.Default.RecordedCallback)!); }
            catch (Exception ex) when (ex is JsonException or ArgumentNullException or NullReferenceException)
            {
                Log.UnreadableEvent(logger, entry.Id.ToString(), ex.Message); // dropped below with the batch: it can never be written
            }
        }
        if (batch.Count > 0) await recorder.RecordAsync(batch, ct);
        var ids = entries.Select(e => e.Id).ToArray();
        // Pipelined, in this order on the one connection: acknowledged, then deleted.
        var acknowledged = redis.StreamAcknowledgeAsync(CallbackGate.StreamKey, Group, ids);
        await Task.WhenAll(acknowledged, redis.StreamDeleteAsync(CallbackGate.StreamKey, ids));
    }

    // Until the callback's keys were hash-tagged for Redis Cluster, the stream was named "cb:events": events an older
    // version queued there just before an upgrade are moved to the current stream, so none is left unwritten. At least
    // once (two instances may both move an entry): the recorder ignores a message it already holds (dedup_key).
    private async Task<bool> MoveLegacyStreamAsync()
    {
        var legacy = RedisKeys.LegacyCallbackEvents;
        while (true)
        {
            var entries = await redis.StreamRangeAsync(legacy, "-", "+", BatchSize);
            if (entries.Length == 0) return true;
            foreach (var entry in entries) await redis.StreamAddAsync(CallbackGate.StreamKey, entry.Values);
            await redis.StreamDeleteAsync(legacy, entries.Select(e => e.Id).ToArray());
            Log.LegacyEventsMoved(logger, entries.Length);
        }
    }

    private bool groupReady;

    private async Task EnsureGroupAsync()
    {
        if (groupReady) return;
        try { await redis.StreamCreateConsumerGroupAsync(CallbackGate.StreamKey, Group, "0-0", createStream: true); }
        catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.Ordinal)) { }
        groupReady = true;
    }
}
