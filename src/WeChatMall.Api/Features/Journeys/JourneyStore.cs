using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Journeys;

/// <summary>A journey row; times are UTC.</summary>
public sealed record JourneyRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Status { get; init; } = "";
    public int CurrentVersion { get; init; }
    public DateTime? ActivatedAt { get; init; }
    /// <summary>How far the current version's trigger has been read (see <see cref="JourneyAdvanceJob"/>); null: not yet.</summary>
    public DateTime? EnrolledThrough { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}

/// <summary>
/// The one writer of journeys rows (their status moves belong to <see cref="JourneyTransitions"/>), journey_versions and
/// journey_send_steps. A saved version never changes, so versions are cached for the life of the process.
/// </summary>
public sealed class JourneyStore(MySqlDataSource db, TimeProvider time)
{
    const string Columns = """
        id AS Id, name AS Name, status AS Status, current_version AS CurrentVersion, activated_at AS ActivatedAt,
        enrolled_through AS EnrolledThrough, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;
    readonly ConcurrentDictionary<(long, int), JourneyDefinition> versions = new();

    public static string Serialize(JourneyDefinition d) => JsonSerializer.Serialize(d, Json);

    public async Task<long> CreateAsync(MySqlConnection c, MySqlTransaction tx, string name, JourneyDefinition d, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO journeys (name, status, current_version, created_at, updated_at) VALUES (@name, 'draft', 1, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { name, now }, tx, cancellationToken: ct));
        await InsertVersionAsync(c, tx, id, 1, d, now, ct);
        return id;
    }

    /// <summary>Saves <paramref name="d"/> as the journey's next version, which new members enter from now on; returns its number.</summary>
    public async Task<int> AddVersionAsync(MySqlConnection c, MySqlTransaction tx, long id, string name, JourneyDefinition d, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var version = await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT current_version FROM journeys WHERE id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct)) + 1;
        await InsertVersionAsync(c, tx, id, version, d, now, ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE journeys SET name = @name, current_version = @version, enrolled_through = NULL, updated_at = @now WHERE id = @id",
            new { id, name, version, now }, tx, cancellationToken: ct));
        return version;
    }

    static Task InsertVersionAsync(MySqlConnection c, MySqlTransaction tx, long id, int version, JourneyDefinition d, DateTime now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO journey_versions (journey_id, version, definition, created_at) VALUES (@id, @version, @definition, @now)
            """, new { id, version, definition = Serialize(d), now }, tx, cancellationToken: ct));

    public static Task AddSendStepAsync(MySqlConnection c, MySqlTransaction tx, long journeyId, int version, int step, long campaignId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO journey_send_steps (journey_id, version, step, campaign_id) VALUES (@journeyId, @version, @step, @campaignId)
            """, new { journeyId, version, step, campaignId }, tx, cancellationToken: ct));

    /// <summary>The campaign carrying a send step of a version.</summary>
    public static Task<long?> SendCampaignAsync(MySqlConnection c, MySqlTransaction? tx, long journeyId, int version, int step, CancellationToken ct) =>
        c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT campaign_id FROM journey_send_steps WHERE journey_id = @journeyId AND version = @version AND step = @step",
            new { journeyId, version, step }, tx, cancellationToken: ct));

    /// <summary>Every campaign carrying a send step of any version of the journey.</summary>
    public static async Task<IReadOnlyList<long>> CampaignsAsync(MySqlConnection c, MySqlTransaction? tx, long journeyId, CancellationToken ct) =>
        (await c.QueryAsync<long>(new CommandDefinition(
            "SELECT campaign_id FROM journey_send_steps WHERE journey_id = @journeyId ORDER BY campaign_id", new { journeyId }, tx, cancellationToken: ct))).AsList();

    public async Task<JourneyRow?> FindAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await FindAsync(c, null, id, ct);
    }

    public static Task<JourneyRow?> FindAsync(MySqlConnection c, MySqlTransaction? tx, long id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<JourneyRow>(new CommandDefinition($"SELECT {Columns} FROM journeys WHERE id = @id", new { id }, tx, cancellationToken: ct));

    public async Task<IReadOnlyList<JourneyRow>> ListAsync(int limit, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<JourneyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM journeys ORDER BY id DESC LIMIT @limit", new { limit }, cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyList<JourneyRow>> ActiveAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<JourneyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM journeys WHERE status = 'active' ORDER BY id", cancellationToken: ct))).AsList();
    }

    /// <summary>Records that <paramref name="version"/>'s trigger was read up to <paramref name="through"/> (never backwards; not
    /// when the journey has moved to another version meanwhile, whose trigger starts from its activation).</summary>
    public async Task MarkEnrolledAsync(long id, int version, DateTime through, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE journeys SET enrolled_through = GREATEST(COALESCE(enrolled_through, @through), @through)
            WHERE id = @id AND current_version = @version
            """, new { id, version, through }, cancellationToken: ct));
    }

    public async Task<JourneyDefinition> VersionAsync(long id, int version, CancellationToken ct)
    {
        if (versions.TryGetValue((id, version), out var cached)) return cached;
        await using var c = await db.OpenConnectionAsync(ct);
        var json = await c.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT definition FROM journey_versions WHERE journey_id = @id AND version = @version", new { id, version }, cancellationToken: ct))
            ?? throw new InvalidOperationException($"Journey {id} has no version {version}.");
        var d = JsonSerializer.Deserialize<JourneyDefinition>(json, Json)!;
        versions[(id, version)] = d;
        return d;
    }

    /// <summary>Every version's number, oldest first.</summary>
    public async Task<IReadOnlyList<int>> VersionNumbersAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<int>(new CommandDefinition(
            "SELECT version FROM journey_versions WHERE journey_id = @id ORDER BY version", new { id }, cancellationToken: ct))).AsList();
    }
}
