using System.Data.Common;
using System.Text.Json;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Audience.Rfm;

/// <summary>What the last rebuild measured over buyers: averages and quintile cut points.</summary>
public sealed record RfmComputed(long Buyers, double AvgRDays, double AvgFOrders, double AvgMFen, double[] RCuts, double[] FCuts, double[] MCuts);

/// <summary>The merchant's thresholds (null = the average) and the measured ones.</summary>
public sealed record RfmSettingsDto(double? RDays, double? FOrders, double? MFen, RfmComputed? Computed, DateTime? ComputedAt);

/// <summary>The one writer of rfm_settings (one row, id 1).</summary>
public sealed class RfmSettingsStore(MySqlDataSource db, TimeProvider time)
{
    const string ReadSql = "SELECT r_days AS RDays, f_orders AS FOrders, m_fen AS MFen, computed AS Computed, computed_at AS ComputedAt FROM rfm_settings WHERE id = 1";

    public async Task<RfmSettingsDto> GetAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await ReadAsync(c, null, ct);
    }

    static async Task<RfmSettingsDto> ReadAsync(DbConnection c, DbTransaction? tx, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(ReadSql, transaction: tx, cancellationToken: ct));
        if (row is null) return new(null, null, null, null, null);
        var computed = row.Computed is null ? null : JsonSerializer.Deserialize<RfmComputed>(row.Computed, JsonSerializerOptions.Web);
        return new(row.RDays, row.FOrders, row.MFen, computed, row.ComputedAt);
    }

    /// <summary>The model members are scored with now: the merchant's thresholds, else the last measured averages.</summary>
    public async Task<RfmModel> ModelAsync(DbConnection c, DbTransaction? tx, CancellationToken ct) => ToModel(await ReadAsync(c, tx, ct));

    public static RfmModel ToModel(RfmSettingsDto s) => new(
        s.RDays ?? s.Computed?.AvgRDays ?? 0, s.FOrders ?? s.Computed?.AvgFOrders ?? 0, s.MFen ?? s.Computed?.AvgMFen ?? 0,
        s.Computed?.RCuts ?? [], s.Computed?.FCuts ?? [], s.Computed?.MCuts ?? []);

    public async Task<RfmSettingsDto> SetThresholdsAsync(double? rDays, double? fOrders, double? mFen, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO rfm_settings (id, r_days, f_orders, m_fen, updated_at) VALUES (1, @rDays, @fOrders, @mFen, @now)
            ON DUPLICATE KEY UPDATE r_days = @rDays, f_orders = @fOrders, m_fen = @mFen, updated_at = @now
            """, new { rDays, fOrders, mFen, now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        return await ReadAsync(c, null, ct);
    }

    /// <summary>Measures averages and quintile cut points over every member with a paid order, and stores them.</summary>
    public async Task<RfmModel> MeasureAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        var avg = await c.QuerySingleAsync<Averages>(new CommandDefinition("""
            SELECT COUNT(*) AS Buyers, COALESCE(AVG(TIMESTAMPDIFF(SECOND, last_paid_at, @now)), 0) AS RSeconds,
                   COALESCE(AVG(paid_orders), 0) AS F, COALESCE(AVG(net_spend_fen), 0) AS M
            FROM member_stats WHERE last_paid_at IS NOT NULL
            """, new { now }, cancellationToken: ct));
        var offsets = new[] { 0.2, 0.4, 0.6, 0.8 }.Select(q => (long)Math.Floor(avg.Buyers * q)).ToArray();
        var rCuts = new List<double>(); var fCuts = new List<double>(); var mCuts = new List<double>();
        if (avg.Buyers > 0)
            foreach (var k in offsets)
            {
                var last = await c.ExecuteScalarAsync<DateTime>(new CommandDefinition(
                    "SELECT last_paid_at FROM member_stats WHERE last_paid_at IS NOT NULL ORDER BY last_paid_at DESC LIMIT 1 OFFSET @k", new { k }, cancellationToken: ct));
                rCuts.Add(RfmModel.DaysSince(last, now));
                fCuts.Add(await c.ExecuteScalarAsync<double>(new CommandDefinition(
                    "SELECT paid_orders FROM member_stats WHERE paid_orders > 0 ORDER BY paid_orders LIMIT 1 OFFSET @k", new { k }, cancellationToken: ct)));
                mCuts.Add(await c.ExecuteScalarAsync<double>(new CommandDefinition(
                    "SELECT net_spend_fen FROM member_stats WHERE paid_orders > 0 ORDER BY net_spend_fen LIMIT 1 OFFSET @k", new { k }, cancellationToken: ct)));
            }
        // Average days since the last order, in days (fractional), compared with whole days elapsed.
        var computed = new RfmComputed(avg.Buyers, avg.RSeconds / 86_400.0, avg.F, avg.M, [.. rCuts], [.. fCuts], [.. mCuts]);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO rfm_settings (id, computed, computed_at, updated_at) VALUES (1, @json, @now, @now)
            ON DUPLICATE KEY UPDATE computed = @json, computed_at = @now
            """, new { json = JsonSerializer.Serialize(computed, JsonSerializerOptions.Web), now }, cancellationToken: ct));
        return ToModel(await ReadAsync(c, null, ct));
    }

    sealed record Row
    {
        public double? RDays { get; init; }
        public double? FOrders { get; init; }
        public double? MFen { get; init; }
        public string? Computed { get; init; }
        public DateTime? ComputedAt { get; init; }
    }

    sealed record Averages
    {
        public long Buyers { get; init; }
        public double RSeconds { get; init; }
        public double F { get; init; }
        public double M { get; init; }
    }
}
