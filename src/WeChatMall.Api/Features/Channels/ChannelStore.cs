using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Channels;

/// <summary>The channels table: the QR codes the merchant created.</summary>
public sealed class ChannelStore(MySqlDataSource db)
{
    const string Columns = "id, name, kind, scene, permanent, ticket, qr_url, expires_at, created_at";

    public async Task<ChannelDto?> FindAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<ChannelDto>(new CommandDefinition(
            $"SELECT {Columns} FROM channels WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<ChannelDto>> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<ChannelDto>(new CommandDefinition($"SELECT {Columns} FROM channels ORDER BY id DESC", cancellationToken: ct))];
    }

    public async Task<bool> SceneTakenAsync(string scene, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM channels WHERE scene = @scene)", new { scene }, cancellationToken: ct));
    }

    public async Task<long> PermanentCountAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM channels WHERE permanent", cancellationToken: ct));
    }

    /// <summary>Stores a created code; null when another request took the scene meanwhile.</summary>
    public async Task<long?> InsertAsync(ChannelDto ch, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        try
        {
            return await c.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO channels (name, kind, scene, permanent, ticket, qr_url, expires_at, created_at)
                VALUES (@Name, @Kind, @Scene, @Permanent, @Ticket, @QrUrl, @ExpiresAt, @CreatedAt);
                SELECT LAST_INSERT_ID();
                """, ch, cancellationToken: ct));
        }
        catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return null;
        }
    }
}
