using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Operators;

public sealed record OperatorRow
{
    public long Id { get; init; }
    public string Username { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string Role { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public bool Disabled { get; init; }
    public string? TotpSecret { get; init; }
    public string? TotpPendingSecret { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}

/// <summary>The operators table: its only writer.</summary>
public sealed class OperatorStore(MySqlDataSource db, TimeProvider time)
{
    const string Columns = "id, username, display_name, role, password_hash, disabled, totp_secret, totp_pending_secret, created_at, updated_at";

    /// <summary>The new operator's id, or null when the username is taken.</summary>
    public async Task<long?> CreateAsync(string username, string displayName, string role, string passwordHash, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO operators (username, display_name, role, password_hash, created_at, updated_at)
            VALUES (@username, @displayName, @role, @passwordHash, @now, @now);
            SELECT LAST_INSERT_ID();
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        try
        {
            return await conn.ExecuteScalarAsync<long>(new CommandDefinition(sql,
                new { username, displayName, role, passwordHash, now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return null;
        }
    }

    public async Task<OperatorRow?> FindAsync(long id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<OperatorRow>(new CommandDefinition(
            $"SELECT {Columns} FROM operators WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<OperatorRow?> FindByUsernameAsync(string username, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<OperatorRow>(new CommandDefinition(
            $"SELECT {Columns} FROM operators WHERE username = @username", new { username }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<OperatorRow>> ListAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return [.. await conn.QueryAsync<OperatorRow>(new CommandDefinition($"SELECT {Columns} FROM operators ORDER BY id", cancellationToken: ct))];
    }

    /// <summary>
    /// Changes role, display name and disabled flag together; refuses (returns false) when that would leave no enabled
    /// owner. The owners are counted with their rows locked, so two owners demoting each other cannot both succeed.
    /// </summary>
    public async Task<bool> UpdateAsync(long id, string role, string displayName, bool disabled, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var owners = (await conn.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM operators WHERE role = 'owner' AND NOT disabled FOR UPDATE", transaction: tx, cancellationToken: ct))).ToList();
        var staysOwner = role == Infrastructure.Auth.AdminRole.Owner && !disabled;
        if (owners.SequenceEqual([id]) && !staysOwner) return false;
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE operators SET role = @role, display_name = @displayName, disabled = @disabled, updated_at = @now WHERE id = @id",
            new { id, role, displayName, disabled, now = time.GetUtcNow().UtcDateTime }, transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task SetPasswordAsync(long id, string passwordHash, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE operators SET password_hash = @passwordHash, updated_at = @now WHERE id = @id",
            new { id, passwordHash, now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    public async Task SetPendingTotpAsync(long id, string secret, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE operators SET totp_pending_secret = @secret, updated_at = @now WHERE id = @id AND totp_secret IS NULL",
            new { id, secret, now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    /// <summary>Makes the pending secret the operator's second factor, with <paramref name="step"/> used up.</summary>
    public async Task<bool> ConfirmTotpAsync(long id, string secret, long step, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE operators SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = @step, updated_at = @now
            WHERE id = @id AND totp_secret IS NULL AND totp_pending_secret = @secret
            """, new { id, secret, step, now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct)) == 1;
    }

    /// <summary>Uses up a code's time step; false when that step (or a later one) was already used: a replayed code.</summary>
    public async Task<bool> UseTotpStepAsync(long id, long step, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE operators SET totp_last_step = @step WHERE id = @id AND (totp_last_step IS NULL OR totp_last_step < @step)",
            new { id, step }, cancellationToken: ct)) == 1;
    }
}
