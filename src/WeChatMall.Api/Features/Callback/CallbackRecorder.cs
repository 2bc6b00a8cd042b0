using MySqlConnector;
using WeChatMall.Api.Features.Followers;
using WeChatMall.Api.Infrastructure.Outbox;

namespace WeChatMall.Api.Features.Callback;

/// <summary>
/// Writes handled callbacks to MySQL: the message log, the follower row and the extra replies (outbox), for a whole
/// batch in one transaction. A message already logged (a late retry) changes nothing and queues nothing.
/// </summary>
public sealed class CallbackRecorder(MySqlDataSource dataSource, OutboxWriter outbox)
{
    public async Task RecordAsync(IReadOnlyList<RecordedCallback> batch, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        foreach (var (e, extras) in batch)
        {
            if (!await FollowerStore.RecordAsync(c, tx, e, ct)) continue;
            for (var i = 0; i < extras.Count; i++)
                await outbox.EnqueueAsync(c, tx, CustomMessageHandler.Kind, $"cb:{e.DedupKey}:{i + 1}", extras[i], ct);
        }
        await tx.CommitAsync(ct);
    }
}
