using System.Data.Common;
using System.Text.Json;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Audience.Tags;

public sealed record TagDto(long Id, string Name, string Kind, JsonElement? Rule, long Members, long? WeChatTagId, DateTime? SyncedAt);

public static class TagKind
{
    public const string Manual = "manual";
    public const string Rule = "rule";
}

/// <summary>The one writer of audience_tags and member_tags (TagRules keeps rule tags' members through it).</summary>
public sealed class TagStore(MySqlDataSource db, TimeProvider time)
{
    const string Columns = """
        a.id AS Id, a.name AS Name, a.kind AS Kind, a.rule AS Rule, a.wechat_tag_id AS WeChatTagId, a.synced_at AS SyncedAt,
        (SELECT COUNT(*) FROM member_tags t WHERE t.tag_id = a.id) AS Members
        """;

    public async Task<IReadOnlyList<TagDto>> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM audience_tags a ORDER BY a.id", cancellationToken: ct)))
            .Select(r => r.ToDto()).ToList();
    }

    public async Task<TagDto?> FindAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM audience_tags a WHERE a.id = @id", new { id }, cancellationToken: ct)))?.ToDto();
    }

    /// <summary>Creates a tag; null when the name is taken.</summary>
    public async Task<long?> CreateAsync(string name, JsonElement? rule, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        try
        {
            return await c.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO audience_tags (name, kind, rule, created_at, updated_at) VALUES (@name, @kind, @rule, @now, @now);
                SELECT LAST_INSERT_ID();
                """, new { name, kind = rule is null ? TagKind.Manual : TagKind.Rule, rule = rule?.GetRawText(), now }, cancellationToken: ct));
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return null;
        }
    }

    /// <summary>Renames a tag and replaces its rule (a manual tag stays manual: rule must be null). False when not found.</summary>
    public async Task<bool?> UpdateAsync(long id, string name, JsonElement? rule, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        try
        {
            return await c.ExecuteAsync(new CommandDefinition(
                "UPDATE audience_tags SET name = @name, rule = @rule, updated_at = @now WHERE id = @id",
                new { id, name, rule = rule?.GetRawText(), now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct)) > 0;
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM audience_tags WHERE id = @id", new { id }, cancellationToken: ct)) > 0;
    }

    public async Task<IReadOnlyList<TagDto>> OfMemberAsync(long memberId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM audience_tags a JOIN member_tags mt ON mt.tag_id = a.id WHERE mt.member_id = @memberId ORDER BY a.id",
            new { memberId }, cancellationToken: ct))).Select(r => r.ToDto()).ToList();
    }

    /// <summary>Puts a manual tag on a member (again is a no-op).</summary>
    public async Task AddManualAsync(long memberId, long tagId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT IGNORE INTO member_tags (member_id, tag_id, created_at) VALUES (@memberId, @tagId, @now)",
            new { memberId, tagId, now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    public async Task<bool> RemoveAsync(long memberId, long tagId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM member_tags WHERE member_id = @memberId AND tag_id = @tagId", new { memberId, tagId }, cancellationToken: ct)) > 0;
    }

    /// <summary>Puts a manual tag on a member in the caller's transaction (a journey step); false when it was already on.</summary>
    public static async Task<bool> AddManualAsync(DbConnection c, DbTransaction tx, long memberId, long tagId, DateTime now, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT IGNORE INTO member_tags (member_id, tag_id, created_at) VALUES (@memberId, @tagId, @now)",
            new { memberId, tagId, now }, tx, cancellationToken: ct)) == 1;

    /// <summary>Takes a tag off a member in the caller's transaction (a journey step); false when it was not on.</summary>
    public static async Task<bool> RemoveAsync(DbConnection c, DbTransaction tx, long memberId, long tagId, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM member_tags WHERE member_id = @memberId AND tag_id = @tagId", new { memberId, tagId }, tx, cancellationToken: ct)) > 0;

    /// <summary>Rule tags and their rules, for TagRules.</summary>
    public static async Task<IReadOnlyList<(long Id, string Rule)>> RuleTagsAsync(DbConnection c, DbTransaction? tx, CancellationToken ct) =>
        (await c.QueryAsync<(long, string)>(new CommandDefinition(
            "SELECT id, rule FROM audience_tags WHERE kind = 'rule' AND rule IS NOT NULL ORDER BY id", transaction: tx, cancellationToken: ct))).AsList();

    /// <summary>Makes rule tag <paramref name="tagId"/> hold exactly <paramref name="matching"/> among <paramref name="memberIds"/>.</summary>
    public static async Task SetRuleMembersAsync(DbConnection c, DbTransaction? tx, long tagId, IReadOnlyCollection<long> memberIds,
        IReadOnlyCollection<long> matching, DateTime now, CancellationToken ct)
    {
        var leaving = memberIds.Except(matching).ToList();
        if (leaving.Count > 0)
            await c.ExecuteAsync(new CommandDefinition(
                "DELETE FROM member_tags WHERE tag_id = @tagId AND member_id IN @leaving", new { tagId, leaving }, tx, cancellationToken: ct));
        foreach (var chunk in matching.Order().Chunk(1_000))
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT IGNORE INTO member_tags (member_id, tag_id, created_at) VALUES (@memberId, @tagId, @now)",
                chunk.Select(memberId => new { memberId, tagId, now }), tx, cancellationToken: ct));
    }

    /// <summary>A merge: the merged member's tags join the survivor's.</summary>
    public static async Task<int> MergeAsync(DbConnection c, DbTransaction tx, long survivorId, long mergedId, DateTime now, CancellationToken ct)
    {
        var moved = await c.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO member_tags (member_id, tag_id, created_at) SELECT @survivorId, tag_id, @now FROM member_tags WHERE member_id = @mergedId
            """, new { survivorId, mergedId, now }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM member_tags WHERE member_id = @mergedId", new { mergedId }, tx, cancellationToken: ct));
        return moved;
    }

    public static Task SetWeChatTagAsync(DbConnection c, long tagId, long? weChatTagId, DateTime now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "UPDATE audience_tags SET wechat_tag_id = @weChatTagId, synced_at = @now WHERE id = @tagId", new { tagId, weChatTagId, now }, cancellationToken: ct));

    sealed record Row
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public string? Rule { get; init; }
        public long Members { get; init; }
        public long? WeChatTagId { get; init; }
        public DateTime? SyncedAt { get; init; }

        public TagDto ToDto() => new(Id, Name, Kind, Rule is null ? null : JsonDocument.Parse(Rule).RootElement.Clone(), Members, WeChatTagId, SyncedAt);
    }
}
