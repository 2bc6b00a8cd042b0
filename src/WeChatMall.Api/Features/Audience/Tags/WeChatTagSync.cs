using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Features.Audience.Tags;

public sealed record TagSyncSkip(long MemberId, string Reason);

/// <summary>What one sync did: WeChat calls made, followers tagged and untagged, members left out and why.</summary>
public sealed record TagSyncResult(long WeChatTagId, int Tagged, int Untagged, int AlreadyTagged, int Calls, IReadOnlyList<TagSyncSkip> Skipped);

public abstract record TagSyncOutcome;
public sealed record TagSynced(TagSyncResult Result) : TagSyncOutcome;
public sealed record TagSyncRefused(int Status, string Code, string Title) : TagSyncOutcome;

/// <summary>
/// Mirrors one of our tags onto a WeChat user tag (for tag-based mass sends): creates the WeChat tag once, then tags
/// the members' followed Official Account openids 50 per call and untags those who left. WeChat allows 100 tags per
/// account (45056) and 20 per user (45059): a member already under 20 of our synced tags is skipped with
/// USER_TAG_LIMIT, and a batch WeChat refuses for that reason anyway (tags set in its console) is retried one by one.
/// </summary>
public sealed class WeChatTagSync(MySqlDataSource db, OfficialAccountClient wechat, IOptions<AudienceOptions> options, TimeProvider time,
    ILogger<WeChatTagSync> logger)
{
    const int TooManyAccountTags = 45056;
    const int TooManyUserTags = 45059;

    // The member's followed openids, for members in the tag.
    const string WantedSql = """
        SELECT mt.member_id AS MemberId, i.value AS OpenId
        FROM member_tags mt
        JOIN member_identities i ON i.member_id = mt.member_id AND i.kind = 'oa_openid'
        JOIN followers f ON f.openid = i.value COLLATE utf8mb4_unicode_ci AND f.state = 'subscribed'
        WHERE mt.tag_id = @tagId ORDER BY mt.member_id, i.value
        """;

    public async Task<TagSyncOutcome> SyncAsync(long tagId, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        var tag = await c.QuerySingleOrDefaultAsync<(string Name, long? WeChatTagId)>(new CommandDefinition(
            "SELECT name, wechat_tag_id FROM audience_tags WHERE id = @tagId", new { tagId }, cancellationToken: ct));
        if (tag.Name is null) return new TagSyncRefused(404, "TAG_NOT_FOUND", "No such tag.");
        var calls = 0;
        long weChatTagId;
        if (tag.WeChatTagId is { } existing) weChatTagId = existing;
        else
        {
            var synced = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM audience_tags WHERE wechat_tag_id IS NOT NULL", cancellationToken: ct));
            if (synced >= o.WeChatTagsPerAccount) return AccountFull(o);
            try
            {
                calls++;
                weChatTagId = await wechat.CreateTagAsync(tag.Name, ct);
            }
            catch (WeChatApiException ex) when (ex.Errcode == TooManyAccountTags)
            {
                return AccountFull(o);
            }
            await TagStore.SetWeChatTagAsync(c, tagId, weChatTagId, now, ct);
        }

        var wanted = (await c.QueryAsync<(long MemberId, string OpenId)>(new CommandDefinition(WantedSql, new { tagId }, cancellationToken: ct))).AsList();
        var done = (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT openid FROM wechat_user_tags WHERE wechat_tag_id = @weChatTagId", new { weChatTagId }, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        var counts = (await c.QueryAsync<(string OpenId, long Tags)>(new CommandDefinition(
            "SELECT openid, COUNT(*) FROM wechat_user_tags WHERE openid IN @openIds GROUP BY openid",
            new { openIds = wanted.Select(w => w.OpenId).Distinct().ToList() }, cancellationToken: ct))).ToDictionary(x => x.OpenId, x => x.Tags, StringComparer.Ordinal);

        var skipped = new List<TagSyncSkip>();
        var toTag = new List<(long MemberId, string OpenId)>();
        foreach (var w in wanted.Where(w => !done.Contains(w.OpenId)))
        {
            if (counts.GetValueOrDefault(w.OpenId) >= o.WeChatTagsPerUser) skipped.Add(new(w.MemberId, "USER_TAG_LIMIT"));
            else toTag.Add(w);
        }
        var tagged = 0;
        foreach (var batch in toTag.Chunk(o.WeChatOpenIdsPerCall))
        {
            try
            {
                calls++;
                await wechat.TagUsersAsync(weChatTagId, batch.Select(b => b.OpenId).ToArray(), ct);
                tagged += await RecordAsync(c, batch.Select(b => b.OpenId), weChatTagId, now, ct);
            }
            catch (WeChatApiException ex) when (ex.Errcode == TooManyUserTags)
            {
                // Someone in the batch already has 20 tags on WeChat: tag one by one to find who.
                foreach (var one in batch)
                {
                    try
                    {
                        calls++;
                        await wechat.TagUsersAsync(weChatTagId, [one.OpenId], ct);
                        tagged += await RecordAsync(c, [one.OpenId], weChatTagId, now, ct);
                    }
                    catch (WeChatApiException e) when (e.Errcode == TooManyUserTags)
                    {
                        skipped.Add(new(one.MemberId, "USER_TAG_LIMIT"));
                    }
                }
            }
        }

        var keep = wanted.Select(w => w.OpenId).ToHashSet(StringComparer.Ordinal);
        var leaving = done.Where(d => !keep.Contains(d)).Order(StringComparer.Ordinal).ToList();
        foreach (var batch in leaving.Chunk(o.WeChatOpenIdsPerCall))
        {
            calls++;
            await wechat.UntagUsersAsync(weChatTagId, batch, ct);
            await c.ExecuteAsync(new CommandDefinition(
                "DELETE FROM wechat_user_tags WHERE wechat_tag_id = @weChatTagId AND openid IN @batch", new { weChatTagId, batch }, cancellationToken: ct));
        }
        await TagStore.SetWeChatTagAsync(c, tagId, weChatTagId, now, ct);
        Log.TagSynced(logger, tagId, weChatTagId, tagged, leaving.Count, skipped.Count);
        return new TagSynced(new(weChatTagId, tagged, leaving.Count, wanted.Count(w => done.Contains(w.OpenId)), calls, skipped));
    }

    static async Task<int> RecordAsync(MySqlConnection c, IEnumerable<string> openIds, long weChatTagId, DateTime now, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT IGNORE INTO wechat_user_tags (openid, wechat_tag_id, tagged_at) VALUES (@openId, @weChatTagId, @now)",
            openIds.Select(openId => new { openId, weChatTagId, now }), cancellationToken: ct));

    static TagSyncRefused AccountFull(AudienceOptions o) => new(409, "WECHAT_TAG_LIMIT",
        $"The Official Account already has {o.WeChatTagsPerAccount} tags (WeChat's limit); delete one in WeChat first.");
}
