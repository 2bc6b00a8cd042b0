using System.Data.Common;
using Dapper;
using WeChatMall.Api.Features.Followers;

namespace WeChatMall.Api.Features.Channels;

/// <summary>
/// Counts scans of the channels' codes from the callback's follower events, in the callback's own transaction: a
/// subscribe through a code (EventKey <c>qrscene_</c>+scene) or a follower's SCAN (EventKey = scene) is a scan; a
/// subscribe also makes the channel the follower's first-touch channel unless another code brought them before.
/// Scenes that are no channel's (e.g. an auto-reply's) are ignored.
/// </summary>
public sealed class ChannelScanRecorder : IFollowerEventObserver
{
    public async Task ObserveAsync(DbConnection c, DbTransaction tx, IReadOnlyList<FollowerEvent> events, CancellationToken ct)
    {
        var scans = events.Where(e => e.Channel is not null && e.Change is FollowerChange.Subscribed or FollowerChange.Scanned).ToList();
        if (scans.Count == 0) return;
        var channels = (await c.QueryAsync<(long Id, string Scene)>(new CommandDefinition(
            "SELECT id, scene FROM channels WHERE scene IN @scenes", new { scenes = scans.Select(e => e.Channel).Distinct().ToList() },
            tx, cancellationToken: ct))).ToDictionary(ch => ch.Scene, ch => ch.Id, StringComparer.Ordinal);
        foreach (var e in scans)
        {
            if (!channels.TryGetValue(e.Channel!, out var channelId)) continue;
            var subscribe = e.Change == FollowerChange.Subscribed;
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT IGNORE INTO channel_scans (dedup_key, channel_id, openid, kind, scanned_at)
                VALUES (@DedupKey, @channelId, @OpenId, @kind, @ReceivedAt)
                """, new { e.DedupKey, channelId, e.OpenId, kind = subscribe ? "subscribe" : "scan", e.ReceivedAt }, tx, cancellationToken: ct));
            if (subscribe)
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT IGNORE INTO channel_followers (openid, channel_id, followed_at) VALUES (@OpenId, @channelId, @ReceivedAt)",
                    new { e.OpenId, channelId, e.ReceivedAt }, tx, cancellationToken: ct));
        }
    }
}
