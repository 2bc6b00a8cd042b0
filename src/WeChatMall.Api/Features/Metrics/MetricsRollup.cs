using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Metrics;

/// <summary>What one pass did: buyers recomputed, days and cohorts rewritten.</summary>
public sealed record RollupResult(int Buyers, int Days, int Cohorts, DateTime Watermark);

/// <summary>
/// Keeps the metrics_* rollups (the only writer of those tables). An incremental pass recomputes only what changed
/// since the watermark: the buyers whose orders changed (all their rows, from the source), then the days and cohorts
/// those buyers touch, and the member, follower and imported-order counts of the days with changed rows. Recomputing
/// from the source (never adding deltas) makes a pass idempotent, so passes may overlap in time and a rebuild is the
/// same code over everything. One pass at a time, whatever the number of instances: a pass holds a lease row
/// (<see cref="JobLease"/>, replicated like any row on Galera, where a named lock would be local to one node), renewed
/// as it goes; a pass that dies leaves it to lapse within <see cref="PassLease"/>.
/// </summary>
public sealed class MetricsRollup(MySqlDataSource db, TimeProvider time, IOptions<MetricsOptions> options, JobLease lease, ILogger<MetricsRollup> logger)
{
    const string LeaseName = "metrics-pass";
    static readonly TimeSpan PassLease = TimeSpan.FromMinutes(5);
    const int RebuildWaitSeconds = 600;
    const int Chunk = 1000;
    static readonly string PaidDay = ChinaDays.Of("paid_at");

    public async Task<RollupResult> RefreshAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        // No pass ever ran (a new or bulk-loaded database): a rebuild is the same result, computed set-wise and faster.
        if (await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM metrics_state WHERE name = 'pass'", cancellationToken: ct)) == 0)
            return await RebuildAsync(ct);
        var holder = lease.NewHolder();
        if (!await lease.TryHoldAsync(LeaseName, holder, PassLease, ct)) return new RollupResult(0, 0, 0, DateTime.MinValue);
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            var watermark = await c.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
                "SELECT watermark FROM metrics_state WHERE name = 'pass'", cancellationToken: ct)) ?? DateTime.UnixEpoch;
            var since = watermark - TimeSpan.FromSeconds(options.Value.OverlapSeconds);
            // A merge moves orders without touching them: both members of a recent merge are recomputed too.
            var buyers = (await c.QueryAsync<long>(new CommandDefinition("""
                SELECT member_id FROM orders WHERE updated_at > @since
                UNION SELECT id FROM members WHERE merged_at > @since
                UNION SELECT merged_into FROM members WHERE merged_at > @since
                """, new { since }, cancellationToken: ct))).ToList();
            var touched = new Touched();
            foreach (var chunk in buyers.Chunk(Chunk))
            {
                await KeepAsync(holder, ct);
                await RecomputeBuyersAsync(c, chunk, touched, ct);
            }
            await KeepAsync(holder, ct);
            var days = touched.Days;
            await RevenueAsync(c, days, ct);
            await CohortsAsync(c, touched.Cohorts, ct);
            await RecencyAsync(c, touched.Recency, ct);
            await RepurchaseCells.RecountAsync(c, days, ct);
            var countDays = await ChangedCountDaysAsync(c, since, ct);
            foreach (var day in countDays) await CountsOfDayAsync(c, day, ct);
            await SetWatermarkAsync(c, now, ct);
            var result = new RollupResult(buyers.Count, days.Union(countDays).Count(), touched.Cohorts.Count, now);
            if (buyers.Count > 0 || countDays.Count > 0) Log.Refreshed(logger, result.Buyers, result.Days, result.Cohorts);
            return result;
        }
        finally
        {
            await LetGoAsync(holder);
        }
    }

    /// <summary>Everything from the source tables: the rollups are emptied and recomputed, buyer chunk by buyer chunk.</summary>
    public async Task<RollupResult> RebuildAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var holder = lease.NewHolder();
        for (var waited = 0; !await lease.TryHoldAsync(LeaseName, holder, PassLease, ct); waited++)
        {
            if (waited >= RebuildWaitSeconds) throw new TimeoutException("Another metrics pass holds the lease.");
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            // TRUNCATE, not DELETE: deleting the 5M buyer-days of a large shop row by row outlasted the command timeout.
            foreach (var table in new[] { "metrics_daily", "metrics_customer_days", "metrics_customers", "metrics_cohorts", "metrics_recency_days",
                         "metrics_repurchase_cells" })
                await c.ExecuteAsync(new CommandDefinition($"TRUNCATE TABLE {table}", cancellationToken: ct));
            var buyers = 0;
            long after = 0;
            while (true)
            {
                var chunk = (await c.QueryAsync<long>(new CommandDefinition(
                    "SELECT DISTINCT member_id FROM orders WHERE member_id > @after ORDER BY member_id LIMIT @Chunk",
                    new { after, Chunk }, cancellationToken: ct))).ToArray();
                if (chunk.Length == 0) break;
                await KeepAsync(holder, ct);
                await RecomputeBuyersAsync(c, chunk, null, ct);
                buyers += chunk.Length;
                after = chunk[^1];
            }
            foreach (var step in new Func<Task>[]
                     {
                         () => RevenueAsync(c, null, ct), () => CohortsAsync(c, null, ct), () => RecencyAsync(c, null, ct),
                         () => RepurchaseCells.RecountAsync(c, null, ct), () => AllCountsAsync(c, ct),
                     })
            {
                await KeepAsync(holder, ct);
                await step();
            }
            await SetWatermarkAsync(c, now, ct);
            var days = await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM metrics_daily", cancellationToken: ct));
            var cohorts = await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM metrics_cohorts", cancellationToken: ct));
            Log.Rebuilt(logger, buyers, days, cohorts);
            return new RollupResult(buyers, days, cohorts, now);
        }
        finally
        {
            await LetGoAsync(holder);
        }
    }

    // ---- buyers: metrics_customer_days and metrics_customers, recomputed from orders ----

    // Each buyer-day also names the buyer's previous and next buyer-day (for metrics_repurchase_cells).
    static readonly string CustomerDaysSql = $"""
        INSERT INTO metrics_customer_days (day, member_id, orders, net_fen, prev_day, next_day)
        SELECT day, member_id, orders, net_fen,
               LAG(day) OVER (PARTITION BY member_id ORDER BY day), LEAD(day) OVER (PARTITION BY member_id ORDER BY day)
        FROM (
            SELECT {PaidDay} AS day, member_id, SUM(refunded_fen < payable_fen) AS orders, SUM(payable_fen - refunded_fen) AS net_fen
            FROM orders WHERE member_id IN @ids AND paid_at IS NOT NULL
            GROUP BY 1, 2 HAVING SUM(refunded_fen < payable_fen) > 0
        ) d
        """;

    // A buyer's first purchase is their first paid order not fully refunded; the windows count what they spent
    // within N days of it (that order included), net of refunds. Last and second-to-last purchases (ties on paid_at
    // broken by id, like the first) feed the repurchase of periods ending today (metrics_recency_days).
    static readonly string CustomersSql = $"""
        INSERT INTO metrics_customers (member_id, first_paid_at, first_paid_day, second_paid_at, last_paid_at, prev_paid_at, last_paid_day,
            prev_paid_day, paid_orders, net_fen, net_30_fen, net_90_fen, net_180_fen, net_365_fen)
        SELECT member_id, first_at, DATE(first_at + INTERVAL 8 HOUR), second_at, last_at, prev_at, DATE(last_at + INTERVAL 8 HOUR),
               DATE(prev_at + INTERVAL 8 HOUR), paid_orders, net_fen, net_30_fen, net_90_fen, net_180_fen, net_365_fen
        FROM (
            SELECT o.member_id, f.first_at, f.last_at,
                   MIN(CASE WHEN o.refunded_fen < o.payable_fen AND (o.paid_at > f.first_at OR (o.paid_at = f.first_at AND o.id <> f.first_id)) THEN o.paid_at END) AS second_at,
                   MAX(CASE WHEN o.refunded_fen < o.payable_fen AND (o.paid_at < f.last_at OR (o.paid_at = f.last_at AND o.id <> f.last_id)) THEN o.paid_at END) AS prev_at,
                   SUM(o.refunded_fen < o.payable_fen) AS paid_orders, SUM(o.payable_fen - o.refunded_fen) AS net_fen,
                   SUM(CASE WHEN o.paid_at < f.first_at + INTERVAL 30 DAY THEN o.payable_fen - o.refunded_fen ELSE 0 END) AS net_30_fen,
                   SUM(CASE WHEN o.paid_at < f.first_at + INTERVAL 90 DAY THEN o.payable_fen - o.refunded_fen ELSE 0 END) AS net_90_fen,
                   SUM(CASE WHEN o.paid_at < f.first_at + INTERVAL 180 DAY THEN o.payable_fen - o.refunded_fen ELSE 0 END) AS net_180_fen,
                   SUM(CASE WHEN o.paid_at < f.first_at + INTERVAL 365 DAY THEN o.payable_fen - o.refunded_fen ELSE 0 END) AS net_365_fen
            FROM orders o
            JOIN (SELECT member_id, MIN(paid_at) AS first_at, MAX(paid_at) AS last_at,
                         CAST(SUBSTRING_INDEX(MIN(CONCAT(DATE_FORMAT(paid_at, '%Y%m%d%H%i%s%f'), ':', id)), ':', -1) AS UNSIGNED) AS first_id,
                         CAST(SUBSTRING_INDEX(MAX(CONCAT(DATE_FORMAT(paid_at, '%Y%m%d%H%i%s%f'), ':', LPAD(id, 20, '0'))), ':', -1) AS UNSIGNED) AS last_id
                  FROM orders WHERE member_id IN @ids AND paid_at IS NOT NULL AND refunded_fen < payable_fen GROUP BY member_id) f
              ON f.member_id = o.member_id
            WHERE o.paid_at IS NOT NULL AND o.paid_at >= f.first_at
            GROUP BY o.member_id, f.first_at, f.first_id, f.last_at, f.last_id
        ) b
        """;

    async Task RecomputeBuyersAsync(MySqlConnection c, long[] ids, Touched? touched, CancellationToken ct)
    {
        await using var tx = await c.BeginTransactionAsync(ct);
        if (touched is not null) await touched.AddAsync(c, tx, ids, ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM metrics_customer_days WHERE member_id IN @ids", new { ids }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM metrics_customers WHERE member_id IN @ids", new { ids }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(CustomerDaysSql, new { ids }, tx, cancellationToken: ct, commandTimeout: 600));
        await c.ExecuteAsync(new CommandDefinition(CustomersSql, new { ids }, tx, cancellationToken: ct, commandTimeout: 600));
        if (touched is not null) await touched.AddAsync(c, tx, ids, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The days, cohorts and recency days whose rollup rows a set of buyers is counted in (before and after a recompute).</summary>
    sealed class Touched
    {
        public SortedSet<DateOnly> Days { get; } = [];
        public SortedSet<DateOnly> Cohorts { get; } = [];
        public SortedSet<DateOnly> Recency { get; } = [];

        public async Task AddAsync(MySqlConnection c, MySqlTransaction tx, long[] ids, CancellationToken ct)
        {
            Add(Days, await c.QueryAsync<DateTime>(new CommandDefinition(
                "SELECT DISTINCT day FROM metrics_customer_days WHERE member_id IN @ids", new { ids }, tx, cancellationToken: ct)));
            foreach (var (cohort, last, prev) in await c.QueryAsync<(DateTime, DateTime?, DateTime?)>(new CommandDefinition(
                "SELECT first_paid_day, last_paid_day, prev_paid_day FROM metrics_customers WHERE member_id IN @ids", new { ids }, tx, cancellationToken: ct)))
            {
                Cohorts.Add(DateOnly.FromDateTime(cohort));
                if (last is { } l) Recency.Add(DateOnly.FromDateTime(l));
                if (prev is { } p) Recency.Add(DateOnly.FromDateTime(p));
            }
        }
    }

    static void Add(ISet<DateOnly> set, IEnumerable<DateTime> days)
    {
        foreach (var d in days) set.Add(DateOnly.FromDateTime(d));
    }

    // ---- days and cohorts from the buyer rollups ----

    const string RevenueSql = """
        INSERT INTO metrics_daily (day, paid_orders, buyers, revenue_fen)
        SELECT day, SUM(orders), COUNT(*), SUM(net_fen) FROM metrics_customer_days {0} GROUP BY day
        ON DUPLICATE KEY UPDATE paid_orders = VALUES(paid_orders), buyers = VALUES(buyers), revenue_fen = VALUES(revenue_fen)
        """;

    /// <summary>Revenue columns of the given days (null: every day), zeroed first so a day that lost its last order reads 0.</summary>
    static async Task RevenueAsync(MySqlConnection c, IReadOnlyCollection<DateOnly>? days, CancellationToken ct)
    {
        if (days is { Count: 0 }) return;
        var list = days?.Select(d => d.ToDateTime(TimeOnly.MinValue)).ToArray();
        await using var tx = await c.BeginTransactionAsync(ct);
        if (list is not null)
            await c.ExecuteAsync(new CommandDefinition("UPDATE metrics_daily SET paid_orders = 0, buyers = 0, revenue_fen = 0 WHERE day IN @list",
                new { list }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(string.Format(RevenueSql, list is null ? "" : "WHERE day IN @list"), new { list }, tx,
            cancellationToken: ct, commandTimeout: 600));
        await tx.CommitAsync(ct);
    }

    // LTV buckets in yuan: [0,50) [50,100) [100,200) [200,500) [500,1000) [1000,2000) [2000,5000) [5000,∞).
    public static readonly long[] BucketFloorsFen = [0, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000];

    static readonly string CohortSql = $$"""
        INSERT INTO metrics_cohorts (cohort_day, customers, repeat_30, repeat_60, repeat_90, net_30_fen, net_90_fen, net_180_fen, net_365_fen,
            net_fen, ltv_b0, ltv_b1, ltv_b2, ltv_b3, ltv_b4, ltv_b5, ltv_b6, ltv_b7)
        SELECT first_paid_day, COUNT(*),
               SUM(IFNULL(second_paid_at < first_paid_at + INTERVAL 30 DAY, 0)), SUM(IFNULL(second_paid_at < first_paid_at + INTERVAL 60 DAY, 0)),
               SUM(IFNULL(second_paid_at < first_paid_at + INTERVAL 90 DAY, 0)),
               SUM(net_30_fen), SUM(net_90_fen), SUM(net_180_fen), SUM(net_365_fen), SUM(net_fen),
               {{Buckets()}}
        FROM metrics_customers {0} GROUP BY first_paid_day
        """;

    static string Buckets() => string.Join(", ", BucketFloorsFen.Select((floor, i) => i + 1 < BucketFloorsFen.Length
        ? $"SUM(net_fen >= {floor} AND net_fen < {BucketFloorsFen[i + 1]})"
        : $"SUM(net_fen >= {floor})"));

    static async Task CohortsAsync(MySqlConnection c, IReadOnlyCollection<DateOnly>? days, CancellationToken ct)
    {
        if (days is { Count: 0 }) return;
        var list = days?.Select(d => d.ToDateTime(TimeOnly.MinValue)).ToArray();
        await using var tx = await c.BeginTransactionAsync(ct);
        if (list is not null)
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM metrics_cohorts WHERE cohort_day IN @list", new { list }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(string.Format(CohortSql, list is null ? "" : "WHERE first_paid_day IN @list"), new { list }, tx,
            cancellationToken: ct, commandTimeout: 600));
        await tx.CommitAsync(ct);
    }

    const string RecencySql = """
        INSERT INTO metrics_recency_days (day, last_buyers, prev_buyers)
        SELECT day, SUM(last), SUM(prev) FROM (
            SELECT last_paid_day AS day, 1 AS last, 0 AS prev FROM metrics_customers {0}
            UNION ALL SELECT prev_paid_day, 0, 1 FROM metrics_customers {1}
        ) r GROUP BY day
        """;

    /// <summary>Buyers by the day of their last and second-to-last purchase, for the given days (null: every day).</summary>
    static async Task RecencyAsync(MySqlConnection c, IReadOnlyCollection<DateOnly>? days, CancellationToken ct)
    {
        if (days is { Count: 0 }) return;
        var list = days?.Select(d => d.ToDateTime(TimeOnly.MinValue)).ToArray();
        await using var tx = await c.BeginTransactionAsync(ct);
        if (list is not null)
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM metrics_recency_days WHERE day IN @list", new { list }, tx, cancellationToken: ct));
        var sql = list is null
            ? string.Format(RecencySql, "WHERE last_paid_day IS NOT NULL", "WHERE prev_paid_day IS NOT NULL")
            : string.Format(RecencySql, "WHERE last_paid_day IN @list", "WHERE prev_paid_day IN @list");
        await c.ExecuteAsync(new CommandDefinition(sql, new { list }, tx, cancellationToken: ct, commandTimeout: 600));
        await tx.CommitAsync(ct);
    }

    // ---- members, followers and imported orders per day ----

    // New members: accounts created that day that are still accounts of their own (not merged away) and signed in
    // through WeChat at least once (a prospect, known by phone alone, is not a member yet).
    const string NewMembersWhere = """
        merged_into IS NULL AND EXISTS (SELECT 1 FROM member_identities i WHERE i.member_id = m.id AND i.kind <> 'phone')
        """;

    static async Task<SortedSet<DateOnly>> ChangedCountDaysAsync(MySqlConnection c, DateTime since, CancellationToken ct)
    {
        var days = new SortedSet<DateOnly>();
        string[] sql =
        [
            $"SELECT DISTINCT {ChinaDays.Of("created_at")} FROM members WHERE created_at > @since",
            $"SELECT DISTINCT {ChinaDays.Of("created_at")} FROM members WHERE merged_at > @since",
            $"SELECT DISTINCT {ChinaDays.Of("first_subscribed_at")} FROM followers WHERE first_subscribed_at > @since",
            $"SELECT DISTINCT {ChinaDays.Of("unsubscribed_at")} FROM followers WHERE unsubscribed_at > @since",
            // A re-follow clears the state of an earlier unsubscribe: its day is the follower's last_subscribed_at.
            $"SELECT DISTINCT {ChinaDays.Of("unsubscribed_at")} FROM followers WHERE updated_at > @since AND unsubscribed_at IS NOT NULL",
            $"SELECT DISTINCT {PaidDay} FROM marketplace_orders WHERE updated_at > @since",
        ];
        foreach (var q in sql) Add(days, await c.QueryAsync<DateTime>(new CommandDefinition(q, new { since }, cancellationToken: ct)));
        return days;
    }

    static readonly string CountsOfDaySql = $"""
        SELECT (SELECT COUNT(*) FROM members m WHERE created_at >= @from AND created_at < @to AND {NewMembersWhere}) AS new_members,
               (SELECT COUNT(*) FROM followers WHERE first_subscribed_at >= @from AND first_subscribed_at < @to) AS new_followers,
               (SELECT COUNT(*) FROM followers WHERE state = 'unsubscribed' AND unsubscribed_at >= @from AND unsubscribed_at < @to) AS lost_followers,
               (SELECT COUNT(*) FROM marketplace_orders WHERE paid_at >= @from AND paid_at < @to) AS imported_orders,
               (SELECT COALESCE(SUM(amount_fen), 0) FROM marketplace_orders WHERE paid_at >= @from AND paid_at < @to) AS imported_revenue_fen,
               (SELECT COALESCE(SUM(amount_fen), 0) FROM marketplace_orders
                WHERE paid_at >= @from AND paid_at < @to AND link IN ('matched', 'claimed')) AS imported_member_revenue_fen
        """;

    const string UpsertCountsSql = """
        INSERT INTO metrics_daily (day, new_members, new_followers, lost_followers, imported_orders, imported_revenue_fen, imported_member_revenue_fen)
        VALUES (@day, @NewMembers, @NewFollowers, @LostFollowers, @ImportedOrders, @ImportedRevenueFen, @ImportedMemberRevenueFen)
        ON DUPLICATE KEY UPDATE new_members = VALUES(new_members), new_followers = VALUES(new_followers), lost_followers = VALUES(lost_followers),
            imported_orders = VALUES(imported_orders), imported_revenue_fen = VALUES(imported_revenue_fen),
            imported_member_revenue_fen = VALUES(imported_member_revenue_fen)
        """;

    static async Task CountsOfDayAsync(MySqlConnection c, DateOnly day, CancellationToken ct)
    {
        var from = ChinaDays.StartUtc(day);
        var counts = await c.QuerySingleAsync<DayCounts>(new CommandDefinition(CountsOfDaySql, new { from, to = from.AddDays(1) }, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(UpsertCountsSql, new
        {
            day = day.ToDateTime(TimeOnly.MinValue), counts.NewMembers, counts.NewFollowers, counts.LostFollowers, counts.ImportedOrders,
            counts.ImportedRevenueFen, counts.ImportedMemberRevenueFen,
        }, cancellationToken: ct));
    }

    sealed record DayCounts
    {
        public long NewMembers { get; init; }
        public long NewFollowers { get; init; }
        public long LostFollowers { get; init; }
        public long ImportedOrders { get; init; }
        public long ImportedRevenueFen { get; init; }
        public long ImportedMemberRevenueFen { get; init; }
    }

    static readonly string[] AllCountsSql =
    [
        $"""
        INSERT INTO metrics_daily (day, new_members) SELECT {ChinaDays.Of("created_at")}, COUNT(*) FROM members m WHERE {NewMembersWhere} GROUP BY 1
        ON DUPLICATE KEY UPDATE new_members = VALUES(new_members)
        """,
        $"""
        INSERT INTO metrics_daily (day, new_followers) SELECT {ChinaDays.Of("first_subscribed_at")}, COUNT(*) FROM followers
        WHERE first_subscribed_at IS NOT NULL GROUP BY 1
        ON DUPLICATE KEY UPDATE new_followers = VALUES(new_followers)
        """,
        $"""
        INSERT INTO metrics_daily (day, lost_followers) SELECT {ChinaDays.Of("unsubscribed_at")}, COUNT(*) FROM followers
        WHERE state = 'unsubscribed' AND unsubscribed_at IS NOT NULL GROUP BY 1
        ON DUPLICATE KEY UPDATE lost_followers = VALUES(lost_followers)
        """,
        $"""
        INSERT INTO metrics_daily (day, imported_orders, imported_revenue_fen, imported_member_revenue_fen)
        SELECT {PaidDay}, COUNT(*), SUM(amount_fen), SUM(IF(link IN ('matched', 'claimed'), amount_fen, 0)) FROM marketplace_orders GROUP BY 1
        ON DUPLICATE KEY UPDATE imported_orders = VALUES(imported_orders), imported_revenue_fen = VALUES(imported_revenue_fen),
            imported_member_revenue_fen = VALUES(imported_member_revenue_fen)
        """,
    ];

    static async Task AllCountsAsync(MySqlConnection c, CancellationToken ct)
    {
        foreach (var sql in AllCountsSql)
            await c.ExecuteAsync(new CommandDefinition(sql, cancellationToken: ct, commandTimeout: 600));
    }

    // ---- the watermark ----

    static Task SetWatermarkAsync(DbConnection c, DateTime now, CancellationToken ct) => c.ExecuteAsync(new CommandDefinition(
        "INSERT INTO metrics_state (name, watermark) VALUES ('pass', @now) ON DUPLICATE KEY UPDATE watermark = VALUES(watermark)",
        new { now }, cancellationToken: ct));

    // ---- the pass lease ----

    async Task KeepAsync(string holder, CancellationToken ct)
    {
        if (!await lease.TryHoldAsync(LeaseName, holder, PassLease, ct))
            throw new InvalidOperationException($"The metrics pass lease lapsed (a step outlasted {PassLease}) and another pass took it; this one stops.");
    }

    async Task LetGoAsync(string holder)
    {
        try
        {
            await lease.ReleaseAsync(LeaseName, holder, CancellationToken.None);
        }
        catch (MySqlException e)
        {
            Log.LeaseKept(logger, e); // the database is away: the lease lapses on its own, and the pass's own error is what matters
        }
    }
}

static partial class Log
{
    [LoggerMessage(15701, LogLevel.Debug, "Metrics refreshed: {Buyers} buyer(s), {Days} day(s), {Cohorts} cohort(s)")]
    public static partial void Refreshed(ILogger logger, int buyers, int days, int cohorts);

    [LoggerMessage(15702, LogLevel.Information, "Metrics rebuilt: {Buyers} buyer(s), {Days} day(s), {Cohorts} cohort(s)")]
    public static partial void Rebuilt(ILogger logger, int buyers, int days, int cohorts);

    [LoggerMessage(15703, LogLevel.Warning, "The metrics pass lease could not be released; it lapses within five minutes")]
    public static partial void LeaseKept(ILogger logger, Exception exception);
}
