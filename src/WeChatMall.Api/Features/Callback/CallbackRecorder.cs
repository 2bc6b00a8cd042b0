using Dapper;
using MySqlConnector;
using WeChatMall.Api.Features.Followers;
using WeChatMall.Api.Infrastructure.Activity;
using WeChatMall.Api.Infrastructure.Outbox;

namespace WeChatMall.Api.Features.Callback;

/// <summary>
/// Writes handled callbacks to MySQL: the message log, the follower rows and the extra replies (outbox), a whole
/// batch in one transaction and a handful of statements. A message already logged (a late retry) changes nothing
/// and queues nothing.
/// </summary>
public sealed class CallbackRecorder(MySqlDataSource dataSource, OutboxWriter outbox, IMemberActivity activity)
{
    public async Task RecordAsync(IReadOnlyList<RecordedCallback> batch, CancellationToken ct)
    {
        try
        {
            await RecordOnceAsync(batch, ct);
        }
        catch
        {
            touched.Forget(batch.Select(r => r.Event.OpenId)); // those writes did not happen after all
            throw;
        }
    }

    private async Task RecordOnceAsync(IReadOnlyList<RecordedCallback> batch, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var unique = batch.DistinctBy(r => r.Event.DedupKey).ToList();
        var logged = await FollowerStore.LogAsync(c, tx, unique.Select(r => r.Event).ToList(), ct);
        // Normally every event is new. Otherwise (a retry that outlived its Redis reply key) find out which were.
        var fresh = logged == unique.Count ? unique : await OnlyLoggedNowAsync(c, tx, unique, ct);
        await FollowerStore.ApplyAsync(c, tx, fresh.Select(r => r.Event).ToList(), touched, ct);
        // Following, last interaction and the customer-service window of the members behind these openids.
        await activity.FollowersChangedAsync(c, tx, fresh.Where(r => r.Event.Change != FollowerChange.None)
            .Select(r => r.Event.OpenId).Distinct(StringComparer.Ordinal).ToList(), ct);
        foreach (var (e, extras) in fresh)
            for (var i = 0; i < extras.Count; i++)
                await outbox.EnqueueAsync(c, tx, CustomMessageHandler.Kind, $"cb:{e.DedupKey}:{i + 1}", extras[i], ct);
        await tx.CommitAsync(ct);
    }

    private readonly RecentlyTouched touched = new();

    // Rows logged by this transaction carry its received_at; an older row with the same key was logged before.
    private static async Task<List<RecordedCallback>> OnlyLoggedNowAsync(
        MySqlConnection c, MySqlTransaction tx, List<RecordedCallback> batch, CancellationToken ct)
    {
        var rows = (await c.QueryAsync<(string Key, DateTime At)>(new CommandDefinition(
            "SELECT dedup_key, received_at FROM follower_messages WHERE dedup_key IN @keys",
            new { keys = batch.Select(r => r.Event.DedupKey).ToList() }, tx, cancellationToken: ct)))
            .ToDictionary(r => r.Key, r => r.At);
        return batch.Where(r => rows.TryGetValue(r.Event.DedupKey, out var at) && at == Truncate(r.Event.ReceivedAt)).ToList();
    }

    private static DateTime Truncate(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMillisecond, t.Kind);
}
