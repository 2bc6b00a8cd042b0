using System.Text.Json;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Audience.Segments;

public sealed record SegmentDto(long Id, string Name, JsonElement Rule, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>The one writer of audience_segments: saved rule trees.</summary>
public sealed class SegmentStore(MySqlDataSource db, TimeProvider time)
{
    const string Columns = "id AS Id, name AS Name, rule AS Rule, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public async Task<IReadOnlyList<SegmentDto>> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM audience_segments ORDER BY id", cancellationToken: ct)))
            .Select(r => r.ToDto()).ToList();
    }

    public async Task<SegmentDto?> FindAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM audience_segments WHERE id = @id", new { id }, cancellationToken: ct)))?.ToDto();
    }

    public async Task<SegmentDto> CreateAsync(string name, JsonElement rule, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO audience_segments (name, rule, created_at, updated_at) VALUES (@name, @rule, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { name, rule = rule.GetRawText(), now }, cancellationToken: ct));
        return (await FindAsync(id, ct))!;
    }

    public async Task<SegmentDto?> UpdateAsync(long id, string name, JsonElement rule, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var changed = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE audience_segments SET name = @name, rule = @rule, updated_at = @now WHERE id = @id",
            new { id, name, rule = rule.GetRawText(), now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        return changed == 0 ? null : await FindAsync(id, ct);
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM audience_segments WHERE id = @id", new { id }, cancellationToken: ct)) > 0;
    }

    sealed record Row
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string Rule { get; init; } = "{}";
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }

        public SegmentDto ToDto() => new(Id, Name, JsonDocument.Parse(Rule).RootElement.Clone(), CreatedAt, UpdatedAt);
    }
}
