using Dapper;
using MySqlConnector;
using WeChatMall.Api.Features.Followers;
using WeChatMall.Api.Infrastructure.Outbox;

namespace WeChatMall.Api.Features.Callback;

/// <summary>
/// Writes handled callbacks to MySQL: the message log, the follower rows and the extra replies (outbox), a whole
/// batch in one transaction and a handful of statements. A message already logged (a late retry) changes nothing
/// and queues nothing.
/// </summary>
public sealed class CallbackRecorder(MySqlDataSource dataSource, OutboxWriter outbox)
{
    public async Task RecordAsync(IReadOnlyList<RecordedCallback> batch, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var known = (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT dedup_key FROM follower_messages WHERE dedup_key IN @keys",
            new { keys = batch.Select(r => r.Event.DedupKey).Distinct().ToList() }, tx, cancellationToken: ct))).ToHashSet();
        // Add also drops repeats inside the batch. Two writers racing on one key (only possible once its Redis reply
        // key has expired) would both apply it: harmless, the log insert is IGNOREd and outbox keys are unique.
        var fresh = batch.Where(r => known.Add(r.Event.DedupKey)).ToList();
        if (fresh.Count > 0)
        {
            await FollowerStore.LogAsync(c, tx, fresh.Select(r => r.Event).ToList(), ct);
            await FollowerStore.ApplyAsync(c, tx, fresh.Select(r => r.Event).ToList(), ct);
            foreach (var (e, extras) in fresh)
                for (var i = 0; i < extras.Count; i++)
                    await outbox.EnqueueAsync(c, tx, CustomMessageHandler.Kind, $"cb:{e.DedupKey}:{i + 1}", extras[i], ct);
        }
        await tx.CommitAsync(ct);
    }
}
