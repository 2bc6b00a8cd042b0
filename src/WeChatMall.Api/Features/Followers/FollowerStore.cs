using System.Data.Common;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Followers;

/// <summary>Follower rows and the inbound message log. All times UTC.</summary>
public sealed partial class FollowerStore(MySqlDataSource dataSource)
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

    /// <summary>The follower's UnionID, when WeChat has given it (follower sync, user/info); null also for an unknown openid.</summary>
    public async Task<string?> UnionIdAsync(string openId, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT unionid FROM followers WHERE openid = @openId", new { openId }, cancellationToken: ct));
    }

    /// <summary>Keeps the UnionID cgi-bin/user/info returned for a follower row that has none yet.</summary>
    public async Task SetUnionIdAsync(string openId, string unionId, DateTime now, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE followers SET unionid = @unionId, updated_at = @now WHERE openid = @openId AND unionid IS NULL",
            new { openId, unionId, now }, cancellationToken: ct));
    }

    /// <summary>Stores the nickname web OAuth (snsapi_userinfo) returned, on the follower row if there is one.</summary>
    public async Task<bool> SetNicknameAsync(string openId, string nickname, DateTime now, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE followers SET nickname = @nickname, updated_at = @now WHERE openid = @openId",
            new { openId, nickname = Cut(nickname, 64), now }, cancellationToken: ct)) > 0;
    }

    /// <summary>Appends new events to the message log, 100 rows per statement (INSERT IGNORE keeps the dedup key unique).</summary>
    public static async Task<int> LogAsync(DbConnection c, DbTransaction tx, IReadOnlyList<FollowerEvent> events, CancellationToken ct)
    {
        // The event writer's bulk path: parameters go straight onto the command, with their names cached per row,
        // instead of through Dapper's DynamicParameters, which cost as much as the rest of the writer together.
        // 100 rows (900 parameters) per statement keeps the command's parameter index off the large-object heap.
        var logged = 0;
        for (var start = 0; start < events.Count; start += LogRowsPerStatement)
        {
            var rows = Math.Min(LogRowsPerStatement, events.Count - start);
            await using var command = (MySqlCommand)c.CreateCommand();
            command.Transaction = (MySqlTransaction)tx;
            command.CommandText = LogSql(rows);
            var p = command.Parameters;
            for (var i = 0; i < rows; i++)
            {
                var e = events[start + i];
                var names = LogNamesByRow[i];
                p.AddWithValue(names[0], e.DedupKey); p.AddWithValue(names[1], e.OpenId); p.AddWithValue(names[2], e.MsgType);
                p.AddWithValue(names[3], e.Event); p.AddWithValue(names[4], Cut(e.EventKey, 255)); p.AddWithValue(names[5], Cut(e.Content, 1024));
                p.AddWithValue(names[6], e.MsgId); p.AddWithValue(names[7], e.WeChatCreatedAt); p.AddWithValue(names[8], e.ReceivedAt);
            }
            logged += await command.ExecuteNonQueryAsync(ct);
        }
        return logged;
    }

    private const int LogRowsPerStatement = 100;
    private const string LogInsert =
        "INSERT IGNORE INTO follower_messages (dedup_key, openid, msg_type, event, event_key, content, msg_id, wechat_created_at, received_at) VALUES ";
    private static readonly string[] LogColumns = ["k", "o", "t", "e", "ek", "c", "m", "w", "r"];
    // "@k0" … "@r99": one name array per row of a statement, made once.
    private static readonly string[][] LogNamesByRow =
        [.. Enumerable.Range(0, LogRowsPerStatement).Select(i => LogColumns.Select(col => $"@{col}{i}").ToArray())];

    private static string LogSql(int rows)
    {
        var sql = new System.Text.StringBuilder(LogInsert, LogInsert.Length + rows * 64);
        for (var i = 0; i < rows; i++)
        {
            if (i > 0) sql.Append(',');
            sql.Append('(').AppendJoin(", ", LogNamesByRow[i]).Append(')');
        }
        return sql.ToString();
    }

    /// <summary>
    /// Applies new events to the follower rows: plain interactions of the whole batch in one upsert (latest time per
    /// follower, at most once a minute per follower), subscribe/unsubscribe/scan one by one in arrival order, because
    /// their order matters.
    /// </summary>
    public static async Task ApplyAsync(DbConnection c, DbTransaction tx, IReadOnlyList<FollowerEvent> events,
        RecentlyTouched touched, CancellationToken ct)
    {
        var latest = events.Where(e => e.Change == FollowerChange.Interacted)
            .GroupBy(e => e.OpenId).Select(g => (OpenId: g.Key, At: g.Max(e => e.ReceivedAt)))
            .Where(f => touched.ShouldWrite(f.OpenId, f.At)).ToList();
        if (latest.Count > 0)
        {
            var p = new DynamicParameters();
            var rows = new List<string>(latest.Count);
            for (var i = 0; i < latest.Count; i++)
            {
                rows.Add($"(@o{i}, 'subscribed', @a{i}, @a{i}, @a{i})");
                p.Add($"o{i}", latest[i].OpenId); p.Add($"a{i}", latest[i].At);
            }
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO followers (openid, state, last_interaction_at, created_at, updated_at) VALUES " + string.Join(",", rows)
                + " ON DUPLICATE KEY UPDATE last_interaction_at = GREATEST(COALESCE(last_interaction_at, VALUES(last_interaction_at)), VALUES(last_interaction_at)), updated_at = VALUES(updated_at)",
                p, tx, cancellationToken: ct));
        }
        foreach (var e in events.Where(e => e.Change is FollowerChange.Subscribed or FollowerChange.Unsubscribed or FollowerChange.Scanned))
            await c.ExecuteAsync(new CommandDefinition(UpsertSql(e.Change), new
            {
                e.OpenId, Channel = Cut(e.Channel, 64), Now = e.ReceivedAt,
            }, tx, cancellationToken: ct));
    }

    // An event from an unknown openid still creates the row: only followers can write to the account.
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
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, "Only state changes are applied one by one."),
    };

    private static string? Cut(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
