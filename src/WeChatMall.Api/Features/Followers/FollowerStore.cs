using System.Data.Common;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Followers;

/// <summary>Follower rows and the inbound message log. All times UTC.</summary>
public sealed class FollowerStore(MySqlDataSource dataSource)
{
    public async Task<FollowerProfile?> FindAsync(string openId, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<FollowerProfile>(new CommandDefinition(
            """
            SELECT id AS Id, openid AS OpenId, state AS State, nickname AS Nickname, source_channel AS SourceChannel
            FROM followers WHERE openid = @openId
            """, new { openId }, cancellationToken: ct));
    }

    /// <summary>
    /// Logs the event and applies it to the follower row, inside the caller's transaction. Returns false when the
    /// event was already recorded (a WeChat retry): then nothing is changed.
    /// </summary>
    public static async Task<bool> RecordAsync(DbConnection c, DbTransaction tx, FollowerEvent e, CancellationToken ct)
    {
        var logged = await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT IGNORE INTO follower_messages (dedup_key, openid, msg_type, event, event_key, content, msg_id, wechat_created_at, received_at)
            VALUES (@DedupKey, @OpenId, @MsgType, @Event, @EventKey, @Content, @MsgId, @WeChatCreatedAt, @ReceivedAt)
            """, new
            {
                e.DedupKey, e.OpenId, e.MsgType, e.Event, EventKey = Cut(e.EventKey, 255), Content = Cut(e.Content, 1024),
                e.MsgId, e.WeChatCreatedAt, e.ReceivedAt,
            }, tx, cancellationToken: ct));
        if (logged == 0) return false;
        if (e.Change != FollowerChange.None)
            await c.ExecuteAsync(new CommandDefinition(UpsertSql(e.Change), new
            {
                e.OpenId, Channel = Cut(e.Channel, 64), Now = e.ReceivedAt,
            }, tx, cancellationToken: ct));
        return true;
    }

    // A message from an unknown openid still creates the row: only followers can write to the account.
    private static string UpsertSql(FollowerChange change) => change switch
    {
        FollowerChange.Subscribed => """
            INSERT INTO followers (openid, state, source_channel, last_channel, first_subscribed_at, last_subscribed_at, last_interaction_at, created_at, updated_at)
            VALUES (@OpenId, 'subscribed', @Channel, @Channel, @Now, @Now, @Now, @Now, @Now)
            ON DUPLICATE KEY UPDATE state = 'subscribed', source_channel = COALESCE(source_channel, @Channel),
                last_channel = COALESCE(@Channel, last_channel), first_subscribed_at = COALESCE(first_subscribed_at, @Now),
                last_subscribed_at = @Now, last_interaction_at = @Now, updated_at = @Now
            """,
        FollowerChange.Unsubscribed => """
            INSERT INTO followers (openid, state, unsubscribed_at, last_interaction_at, created_at, updated_at)
            VALUES (@OpenId, 'unsubscribed', @Now, @Now, @Now, @Now)
            ON DUPLICATE KEY UPDATE state = 'unsubscribed', unsubscribed_at = @Now, last_interaction_at = @Now, updated_at = @Now
            """,
        FollowerChange.Scanned => """
            INSERT INTO followers (openid, state, last_channel, last_interaction_at, created_at, updated_at)
            VALUES (@OpenId, 'subscribed', @Channel, @Now, @Now, @Now)
            ON DUPLICATE KEY UPDATE last_channel = COALESCE(@Channel, last_channel), last_interaction_at = @Now, updated_at = @Now
            """,
        _ => """
            INSERT INTO followers (openid, state, last_interaction_at, created_at, updated_at)
            VALUES (@OpenId, 'subscribed', @Now, @Now, @Now)
            ON DUPLICATE KEY UPDATE last_interaction_at = @Now, updated_at = @Now
            """,
    };

    private static string? Cut(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
