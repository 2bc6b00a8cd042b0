using System.Text;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Operators;

public sealed record AuditEntry
{
    public long Id { get; init; }
    public DateTime OccurredAt { get; init; }
    public string ActorKind { get; init; } = "";
    public long? OperatorId { get; init; }
    public string ActorName { get; init; } = "";
    public string? ClientIp { get; init; }
    public string Action { get; init; } = "";
    public string Area { get; init; } = "";
    public string? Target { get; init; }
    public string? Details { get; init; }
    public int Status { get; init; }
}

/// <summary>Filters of the audit list and export; null fields do not filter.</summary>
public sealed record AuditFilter(string? Operator, string? Action, string? Area, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>The admin_audit table: append-only, newest first by id.</summary>
public sealed class AuditStore(MySqlDataSource db)
{
    const string Columns = "id, occurred_at, actor_kind, operator_id, actor_name, client_ip, action, area, target, details, status";

    public async Task AppendAsync(AuditEntry e, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO admin_audit (occurred_at, actor_kind, operator_id, actor_name, client_ip, action, area, target, details, status)
            VALUES (@OccurredAt, @ActorKind, @OperatorId, @ActorName, @ClientIp, @Action, @Area, @Target, @Details, @Status)
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, e, cancellationToken: ct));
    }

    /// <summary>Up to <paramref name="limit"/> entries older than <paramref name="beforeId"/> (null: the newest).</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(AuditFilter filter, long? beforeId, int limit, CancellationToken ct)
    {
        var where = new StringBuilder("WHERE 1 = 1");
        if (filter.Operator is not null) where.Append(" AND actor_name = @Operator");
        if (filter.Action is not null) where.Append(" AND action LIKE CONCAT('%', @Action, '%')");
        if (filter.Area is not null) where.Append(" AND area = @Area");
        if (filter.From is not null) where.Append(" AND occurred_at >= @From");
        if (filter.To is not null) where.Append(" AND occurred_at < @To");
        if (beforeId is not null) where.Append(" AND id < @BeforeId");
        await using var conn = await db.OpenConnectionAsync(ct);
        return [.. await conn.QueryAsync<AuditEntry>(new CommandDefinition(
            $"SELECT {Columns} FROM admin_audit {where} ORDER BY id DESC LIMIT @Limit",
            new
            {
                filter.Operator, Action = EscapeLike(filter.Action), filter.Area,
                From = filter.From?.UtcDateTime, To = filter.To?.UtcDateTime, BeforeId = beforeId, Limit = limit,
            }, cancellationToken: ct))];
    }

    static string? EscapeLike(string? s) => s?.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
