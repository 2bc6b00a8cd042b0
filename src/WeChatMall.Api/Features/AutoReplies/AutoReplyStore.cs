using System.Text.Json;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.AutoReplies;

public sealed class AutoReplyStore(MySqlDataSource dataSource, TimeProvider clock)
{
    private const string Columns = """
        id AS Id, name AS Name, trigger_kind AS TriggerKind, match_type AS MatchType, pattern AS Pattern,
        priority AS Priority, enabled AS Enabled, valid_from AS ValidFrom, valid_until AS ValidUntil,
        reply_mode AS ReplyMode, replies AS Replies, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    public async Task<IReadOnlyList<AutoReplyRule>> ListAsync(CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<RuleRow>(new CommandDefinition(
            $"SELECT {Columns} FROM auto_reply_rules ORDER BY priority DESC, id", cancellationToken: ct));
        return rows.Select(r => r.ToRule()).ToList();
    }

    public async Task<AutoReplyRule?> GetAsync(long id, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<RuleRow>(new CommandDefinition(
            $"SELECT {Columns} FROM auto_reply_rules WHERE id = @id", new { id }, cancellationToken: ct));
        return row?.ToRule();
    }

    public async Task<long> InsertAsync(AutoReplyRuleRequest r, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO auto_reply_rules (name, trigger_kind, match_type, pattern, priority, enabled, valid_from,
                valid_until, reply_mode, replies, created_at, updated_at)
            VALUES (@Name, @Trigger, @MatchType, @Pattern, @Priority, @Enabled, @From, @Until, @ReplyMode, @Replies, @Now, @Now);
            SELECT LAST_INSERT_ID();
            """, Parameters(r), cancellationToken: ct));
    }

    public async Task<bool> UpdateAsync(long id, AutoReplyRuleRequest r, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        var p = new DynamicParameters(Parameters(r));
        p.Add("Id", id);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE auto_reply_rules SET name = @Name, trigger_kind = @Trigger, match_type = @MatchType, pattern = @Pattern,
                priority = @Priority, enabled = @Enabled, valid_from = @From, valid_until = @Until,
                reply_mode = @ReplyMode, replies = @Replies, updated_at = @Now
            WHERE id = @Id
            """, p, cancellationToken: ct)) == 1;
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM auto_reply_rules WHERE id = @id", new { id }, cancellationToken: ct)) == 1;
    }

    private object Parameters(AutoReplyRuleRequest r) => new
    {
        Name = r.Name!.Trim(), r.Trigger, r.MatchType, Pattern = string.IsNullOrWhiteSpace(r.Pattern) ? null : r.Pattern.Trim(),
        r.Priority, r.Enabled, From = r.ValidFrom?.UtcDateTime, Until = r.ValidUntil?.UtcDateTime, r.ReplyMode,
        Replies = JsonSerializer.Serialize(r.Replies, JsonSerializerOptions.Web), Now = clock.GetUtcNow().UtcDateTime,
    };

    private sealed record RuleRow(
        long Id, string Name, string TriggerKind, string? MatchType, string? Pattern, int Priority, bool Enabled,
        DateTime? ValidFrom, DateTime? ValidUntil, string ReplyMode, string Replies, DateTime CreatedAt, DateTime UpdatedAt)
    {
        public AutoReplyRule ToRule() => new(Id, Name, TriggerKind, MatchType, Pattern, Priority, Enabled,
            Utc(ValidFrom), Utc(ValidUntil), ReplyMode,
            JsonSerializer.Deserialize<List<ReplySpec>>(Replies, JsonSerializerOptions.Web) ?? [],
            Utc(CreatedAt)!.Value, Utc(UpdatedAt)!.Value);

        private static DateTime? Utc(DateTime? d) => d is null ? null : DateTime.SpecifyKind(d.Value, DateTimeKind.Utc);
    }
}
