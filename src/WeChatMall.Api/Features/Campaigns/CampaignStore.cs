using System.Text.Json;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>A campaign row; times are UTC.</summary>
public sealed record CampaignRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public long SegmentId { get; init; }
    public string Channels { get; init; } = "[]";
    public string Content { get; init; } = "{}";
    public string Status { get; init; } = "";
    public DateTime? SendAt { get; init; }
    public short? QuietStart { get; init; }
    public short? QuietEnd { get; init; }
    public int AttributionDays { get; init; }
    public long? AudienceSize { get; init; }
    public DateTime? ParkedUntil { get; init; }
    public string? ParkReason { get; init; }
    public DateTime? ApprovedAt { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public DateTime CreatedAt { get; init; }
    /// <summary>The journey whose send step this campaign carries (Features/Journeys); null for a merchant's campaign.</summary>
    public long? JourneyId { get; init; }
    /// <summary>A recurring campaign's cron (5 fields, China time); its runs carry <see cref="ParentId"/> and <see cref="OccurrenceAt"/>.</summary>
    public string? RecurrenceCron { get; init; }
    public DateTime? NextRunAt { get; init; }
    public long? ParentId { get; init; }
    public DateTime? OccurrenceAt { get; init; }
    /// <summary>A coupon template (Features/Offers) granted to each recipient at send time; {coupon} names it.</summary>
    public long? CouponTemplateId { get; init; }

    public IReadOnlyList<string> ChannelList => JsonSerializer.Deserialize<string[]>(Channels) ?? [];
    public CampaignContent ContentModel => JsonSerializer.Deserialize<CampaignContent>(Content, JsonSerializerOptions.Web) ?? new();

    /// <summary>Inside the quiet hours (China time) at <paramref name="utcNow"/>: nothing is sent.</summary>
    public bool IsQuiet(DateTime utcNow)
    {
        if (QuietStart is not { } start || QuietEnd is not { } end || start == end) return false;
        var minute = (int)ChinaTime.Of(utcNow).TimeOfDay.TotalMinutes;
        return start < end ? minute >= start && minute < end : minute >= start || minute < end;
    }
}

/// <summary>The one writer of new campaigns rows (their status moves belong to <see cref="CampaignTransitions"/>).</summary>
public sealed class CampaignStore(MySqlDataSource db, TimeProvider time)
{
    const string Columns = """
        id AS Id, name AS Name, segment_id AS SegmentId, channels AS Channels, content AS Content, status AS Status, send_at AS SendAt,
        quiet_start AS QuietStart, quiet_end AS QuietEnd, attribution_days AS AttributionDays, audience_size AS AudienceSize,
        parked_until AS ParkedUntil, park_reason AS ParkReason, approved_at AS ApprovedAt, started_at AS StartedAt,
        finished_at AS FinishedAt, created_at AS CreatedAt, journey_id AS JourneyId, recurrence_cron AS RecurrenceCron,
        next_run_at AS NextRunAt, parent_id AS ParentId, occurrence_at AS OccurrenceAt, coupon_template_id AS CouponTemplateId
        """;

    public async Task<long> CreateAsync(string name, long segmentId, IReadOnlyList<string> channels, CampaignContent content, DateTime? sendAt,
        short? quietStart, short? quietEnd, int attributionDays, CancellationToken ct, string? recurrenceCron = null, long? couponTemplateId = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO campaigns (name, segment_id, channels, content, status, send_at, quiet_start, quiet_end, attribution_days,
                recurrence_cron, coupon_template_id, created_at, updated_at)
            VALUES (@name, @segmentId, @channels, @content, 'draft', @sendAt, @quietStart, @quietEnd, @attributionDays,
                @recurrenceCron, @couponTemplateId, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new
        {
            name, segmentId, channels = JsonSerializer.Serialize(channels), content = JsonSerializer.Serialize(content, JsonSerializerOptions.Web),
            sendAt, quietStart, quietEnd, attributionDays, recurrenceCron, couponTemplateId, now,
        }, cancellationToken: ct));
    }

    /// <summary>
    /// A recurring campaign's run for one occurrence, as a draft copy of the definition, in the caller's transaction; null
    /// when that occurrence already has its run (the unique key (parent_id, occurrence_at), whichever instance made it).
    /// </summary>
    public static async Task<long?> CreateRunAsync(MySqlConnection c, MySqlTransaction tx, long definitionId, DateTime occurrence, DateTime now,
        CancellationToken ct)
    {
        var inserted = await c.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO campaigns (name, segment_id, channels, content, status, send_at, quiet_start, quiet_end, attribution_days,
                coupon_template_id, parent_id, occurrence_at, created_at, updated_at)
            SELECT name, segment_id, channels, content, 'draft', @occurrence, quiet_start, quiet_end, attribution_days,
                coupon_template_id, id, @occurrence, @now, @now
            FROM campaigns WHERE id = @definitionId
            """, new { definitionId, occurrence, now }, tx, cancellationToken: ct));
        if (inserted == 0) return null;
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT LAST_INSERT_ID()", transaction: tx, cancellationToken: ct));
    }

    /// <summary>A recurring campaign's runs, newest occurrence first.</summary>
    public async Task<IReadOnlyList<CampaignRow>> RunsAsync(long definitionId, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<CampaignRow>(new CommandDefinition($"""
            SELECT {Columns} FROM campaigns WHERE parent_id = @definitionId ORDER BY occurrence_at DESC LIMIT @limit
            """, new { definitionId, limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>Recurring definitions whose next occurrence has come.</summary>
    public async Task<IReadOnlyList<CampaignRow>> DueDefinitionsAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<CampaignRow>(new CommandDefinition($"""
            SELECT {Columns} FROM campaigns WHERE status = 'recurring' AND next_run_at <= @now ORDER BY id
            """, new { now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// A new schedule for a draft, paused or recurring definition (not a run, not a journey's); a draft's one-off send
    /// time is dropped. False when the campaign is in another state.
    /// </summary>
    public static async Task<bool> SetRecurrenceAsync(MySqlConnection c, MySqlTransaction tx, long id, string cron, DateTime? nextRunAt, DateTime now,
        CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaigns SET recurrence_cron = @cron, send_at = NULL, updated_at = @now,
                next_run_at = IF(status = 'recurring', @nextRunAt, next_run_at)
            WHERE id = @id AND parent_id IS NULL AND journey_id IS NULL
              AND (status = 'draft' OR (status IN ('paused', 'recurring') AND recurrence_cron IS NOT NULL))
            """, new { id, cron, nextRunAt, now }, tx, cancellationToken: ct)) == 1;

    /// <summary>A definition's runs that are not finished yet (cancelling the definition cancels them).</summary>
    public static async Task<IReadOnlyList<long>> OpenRunIdsAsync(MySqlConnection c, MySqlTransaction tx, long definitionId, CancellationToken ct) =>
        (await c.QueryAsync<long>(new CommandDefinition("""
            SELECT id FROM campaigns WHERE parent_id = @definitionId AND status NOT IN ('completed', 'cancelled') FOR UPDATE
            """, new { definitionId }, tx, cancellationToken: ct))).AsList();

    /// <summary>
    /// A draft campaign carrying a journey's send step, in the caller's transaction: no segment (members are added one by
    /// one as they reach the step, <see cref="RecipientStore.EnqueueAsync"/>), never completed by the delivery engine.
    /// </summary>
    public static async Task<long> CreateForJourneyAsync(MySqlConnection c, MySqlTransaction tx, string name, long journeyId,
        IReadOnlyList<string> channels, CampaignContent content, int attributionDays, DateTime now, CancellationToken ct) =>
        await c.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO campaigns (name, segment_id, channels, content, status, attribution_days, journey_id, created_at, updated_at)
            VALUES (LEFT(@name, 100), 0, @channels, @content, 'draft', @attributionDays, @journeyId, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new
        {
            name, channels = JsonSerializer.Serialize(channels), content = JsonSerializer.Serialize(content, JsonSerializerOptions.Web),
            attributionDays, journeyId, now,
        }, tx, cancellationToken: ct));

    public async Task<CampaignRow?> FindAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await FindAsync(c, null, id, ct);
    }

    public static Task<CampaignRow?> FindAsync(MySqlConnection c, MySqlTransaction? tx, long id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<CampaignRow>(new CommandDefinition($"SELECT {Columns} FROM campaigns WHERE id = @id", new { id }, tx, cancellationToken: ct));

    /// <summary>Newest first: up to <paramref name="limit"/> campaigns older than <paramref name="beforeId"/>, of one status if given.</summary>
    public async Task<IReadOnlyList<CampaignRow>> ListAsync(int limit, CancellationToken ct, string? status = null, long? beforeId = null)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<CampaignRow>(new CommandDefinition($"""
            SELECT {Columns} FROM campaigns
            WHERE journey_id IS NULL AND parent_id IS NULL AND (@status IS NULL OR status = @status) AND (@beforeId IS NULL OR id < @beforeId)
            ORDER BY id DESC LIMIT @limit
            """, new { limit, status, beforeId }, cancellationToken: ct))).AsList();
    }

    /// <summary>Campaigns a worker has something to do for: due to start, running, or parked until a time now past.</summary>
    public async Task<IReadOnlyList<CampaignRow>> ActiveAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<CampaignRow>(new CommandDefinition($"""
            SELECT {Columns} FROM campaigns
            WHERE status = 'running' OR (status = 'scheduled' AND (send_at IS NULL OR send_at <= @now))
               OR (status = 'parked' AND parked_until <= @now)
            ORDER BY id
            """, new { now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct))).AsList();
    }

    public static async Task<string?> StatusAsync(MySqlConnection c, long id, CancellationToken ct) =>
        await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT status FROM campaigns WHERE id = @id", new { id }, cancellationToken: ct));

    public static async Task SetAudienceSizeAsync(MySqlConnection c, MySqlTransaction tx, long id, long size, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition("UPDATE campaigns SET audience_size = @size WHERE id = @id", new { id, size }, tx, cancellationToken: ct));
}
