using System.Security.Cryptography;
using System.Text;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Operators;

public sealed record ApiTokenDto
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string CreatedBy { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime ExpiresAt { get; init; }
    public DateTime? RevokedAt { get; init; }
}

/// <summary>
/// API tokens for integrations: <c>wcm_</c> + 32 random bytes (base64url), shown once; the table keeps only the
/// SHA-256, so neither a database dump nor the audit log holds a usable token. The prefix tells an admin token from a
/// member's session token, which also travels as a Bearer token (on /api routes).
/// </summary>
public sealed class ApiTokenStore(MySqlDataSource db, TimeProvider time)
{
    public const string Prefix = "wcm_";

    const string Columns = "id, name, role, created_by, created_at, expires_at, revoked_at";

    public async Task<(ApiTokenDto Token, string Secret)> CreateAsync(string name, string role, DateTime expiresAt, string createdBy, CancellationToken ct)
    {
        var secret = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        const string sql = """
            INSERT INTO admin_api_tokens (name, role, token_hash, created_by, created_at, expires_at)
            VALUES (@name, @role, @hash, @createdBy, @now, @expiresAt);
            SELECT LAST_INSERT_ID();
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var id = await conn.ExecuteScalarAsync<long>(new CommandDefinition(sql,
            new { name, role, hash = Hash(secret), createdBy, now = time.GetUtcNow().UtcDateTime, expiresAt }, cancellationToken: ct));
        return ((await FindAsync(conn, id, ct))!, secret);
    }

    public async Task<IReadOnlyList<ApiTokenDto>> ListAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return [.. await conn.QueryAsync<ApiTokenDto>(new CommandDefinition($"SELECT {Columns} FROM admin_api_tokens ORDER BY id DESC", cancellationToken: ct))];
    }

    /// <summary>The token a secret names, if it is neither revoked nor expired.</summary>
    public async Task<ApiTokenDto?> FindActiveAsync(string secret, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ApiTokenDto>(new CommandDefinition(
            $"SELECT {Columns} FROM admin_api_tokens WHERE token_hash = @hash AND revoked_at IS NULL AND expires_at > @now",
            new { hash = Hash(secret), now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    /// <summary>The revoked token (revoking twice keeps the first time), or null when there is no such token.</summary>
    public async Task<ApiTokenDto?> RevokeAsync(long id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE admin_api_tokens SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL",
            new { id, now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        return await FindAsync(conn, id, ct);
    }

    static Task<ApiTokenDto?> FindAsync(MySqlConnection conn, long id, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<ApiTokenDto>(new CommandDefinition($"SELECT {Columns} FROM admin_api_tokens WHERE id = @id", new { id }, cancellationToken: ct));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
