using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Metrics;

/// <summary>The dashboards: reads of the rollups only (small tables keyed by day), never of orders or members.</summary>
public sealed class MetricsQueries(MySqlDataSource db, TimeProvider time)
{
    public DateOnly Today => ChinaDays.DayOf(time.GetUtcNow().UtcDateTime);

    const string DailySql = """
        SELECT day, new_members, new_followers, lost_followers, paid_orders, buyers, revenue_fen, imported_orders, imported_revenue_fen,
               imported_member_revenue_fen
        FROM metrics_daily WHERE day BETWEEN @from AND @to
        """;

    async Task<Dictionary<DateOnly, DailyRow>> DailyAsync(MySqlConnection c, DateOnly from, DateOnly to, CancellationToken ct) =>
        (await c.QueryAsync<DailyRow>(new CommandDefinition(DailySql, Args(from, to), cancellationToken: ct)))
            .ToDictionary(r => DateOnly.FromDateTime(r.Day));

    static object Args(DateOnly from, DateOnly to) => new { from = from.ToDateTime(TimeOnly.MinValue), to = to.ToDateTime(TimeOnly.MinValue) };

    static IEnumerable<DateOnly> Days(DateOnly from, DateOnly to)
    {
        for (var d = from; d <= to; d = d.AddDays(1)) yield return d;
    }

    public async Task<GrowthDto> GrowthAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var (members, followers) = await c.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "SELECT CAST(COALESCE(SUM(new_members), 0) AS SIGNED), CAST(COALESCE(SUM(new_followers) - SUM(lost_followers), 0) AS SIGNED) FROM metrics_daily WHERE day < @from",
            Args(from, to), cancellationToken: ct));
        var rows = await DailyAsync(c, from, to, ct);
        var days = new List<GrowthDayDto>();
        foreach (var day in Days(from, to))
        {
            var r = rows.GetValueOrDefault(day) ?? new DailyRow();
            members += r.NewMembers;
            followers += r.NewFollowers - r.LostFollowers;
            days.Add(new GrowthDayDto(day, r.NewMembers, members, r.NewFollowers, r.LostFollowers, r.NewFollowers - r.LostFollowers, followers));
        }
        return new GrowthDto(from, to, days.Sum(d => d.NewMembers), days.Sum(d => d.NewFollowers), days.Sum(d => d.LostFollowers),
            days.Sum(d => d.NetFollowers), days);
    }

    public async Task<RevenueDto> RevenueAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await DailyAsync(c, from, to, ct);
        var days = Days(from, to).Select(day => rows.GetValueOrDefault(day) is { } r
            ? new RevenueDayDto(day, r.PaidOrders, r.Buyers, r.RevenueFen, Average(r.RevenueFen, r.PaidOrders), r.ImportedOrders,
                r.ImportedRevenueFen, r.ImportedMemberRevenueFen)
            : new RevenueDayDto(day, 0, 0, 0, 0, 0, 0, 0)).ToList();
        long orders = days.Sum(d => d.PaidOrders), revenue = days.Sum(d => d.RevenueFen), imported = days.Sum(d => d.ImportedRevenueFen);
        long total = revenue + imported, member = revenue + days.Sum(d => d.ImportedMemberRevenueFen);
        return new RevenueDto(from, to, orders, revenue, Average(revenue, orders), days.Sum(d => d.ImportedOrders), imported, total, member,
            total == 0 ? null : Math.Round((double)member / total, 4), days);
    }

    /// <summary>Whole fen, rounded down.</summary>
    static long Average(long sum, long count) => count == 0 ? 0 : sum / count;

    // A period that ends today holds every buyer's latest purchases: its buyers are those whose last purchase is in it,
    // its repeat buyers those whose second-to-last one is. One row per day instead of one per buyer-day.
    const string RepurchaseToTodaySql = """
        SELECT CAST(COALESCE(SUM(last_buyers), 0) AS SIGNED), CAST(COALESCE(SUM(prev_buyers), 0) AS SIGNED)
        FROM metrics_recency_days WHERE day >= @from
        """;

    public async Task<RepurchaseDto> RepurchaseAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var sql = to >= Today ? RepurchaseToTodaySql : RepurchaseCells.RepurchaseSql;
        var (buyers, repeat) = await c.QuerySingleAsync<(long, long)>(new CommandDefinition(sql, Args(from, to), cancellationToken: ct));
        return new RepurchaseDto(from, to, buyers, repeat, Rate(repeat, buyers));
    }

    static double? Rate(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    const string CohortSql = """
        SELECT {0} AS cohort, MAX(cohort_day) AS last_day, SUM(customers) AS customers, SUM(repeat_30) AS repeat_30, SUM(repeat_60) AS repeat_60,
               SUM(repeat_90) AS repeat_90, SUM(net_30_fen) AS net_30_fen, SUM(net_90_fen) AS net_90_fen, SUM(net_180_fen) AS net_180_fen,
               SUM(net_365_fen) AS net_365_fen, SUM(net_fen) AS net_fen
        FROM metrics_cohorts WHERE cohort_day BETWEEN @from AND @to GROUP BY 1 ORDER BY 1
        """;

    public async Task<CohortsDto> CohortsAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var months = (await c.QueryAsync<CohortRow>(new CommandDefinition(string.Format(CohortSql, "DATE_FORMAT(cohort_day, '%Y-%m')"),
            Args(from, to), cancellationToken: ct))).Select(Cohort).ToList();
        var total = (await c.QueryAsync<CohortRow>(new CommandDefinition(string.Format(CohortSql, "'total'"), Args(from, to), cancellationToken: ct)))
            .Select(Cohort).SingleOrDefault() ?? Cohort(new CohortRow { Cohort = "total", LastDay = to.ToDateTime(TimeOnly.MinValue) });
        return new CohortsDto(from, to, total, months);
    }

    CohortDto Cohort(CohortRow r)
    {
        var last = DateOnly.FromDateTime(r.LastDay);
        bool Mature(int days) => last.AddDays(days) < Today;
        return new CohortDto(r.Cohort, r.Customers, r.Repeat30, r.Repeat60, r.Repeat90, Rate(r.Repeat30, r.Customers), Rate(r.Repeat60, r.Customers),
            Rate(r.Repeat90, r.Customers), Average(r.Net30Fen, r.Customers), Average(r.Net90Fen, r.Customers), Average(r.Net180Fen, r.Customers),
            Average(r.Net365Fen, r.Customers), Average(r.NetFen, r.Customers), Mature(30), Mature(60), Mature(90), Mature(180), Mature(365));
    }

    const string LtvSql = """
        SELECT COALESCE(SUM(customers), 0), COALESCE(SUM(net_fen), 0), COALESCE(SUM(ltv_b0), 0), COALESCE(SUM(ltv_b1), 0), COALESCE(SUM(ltv_b2), 0),
               COALESCE(SUM(ltv_b3), 0), COALESCE(SUM(ltv_b4), 0), COALESCE(SUM(ltv_b5), 0), COALESCE(SUM(ltv_b6), 0), COALESCE(SUM(ltv_b7), 0)
        FROM metrics_cohorts WHERE cohort_day BETWEEN @from AND @to
        """;

    public async Task<LtvDistributionDto> LtvAsync(DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var reader = await c.ExecuteReaderAsync(new CommandDefinition(LtvSql,
            Args(from ?? DateOnly.MinValue.AddYears(1000), to ?? DateOnly.MaxValue.AddYears(-1000)), cancellationToken: ct));
        await reader.ReadAsync(ct);
        var values = Enumerable.Range(0, 10).Select(i => Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var floors = MetricsRollup.BucketFloorsFen;
        var buckets = floors.Select((floor, i) => new LtvBucketDto(floor, i + 1 < floors.Length ? floors[i + 1] : null, values[2 + i])).ToList();
        return new LtvDistributionDto(from, to, values[0], Average(values[1], values[0]), buckets);
    }

    const string TopSql = """
        SELECT member_id, CAST(paid_orders AS SIGNED) AS paid_orders, net_fen, first_paid_at, last_paid_at FROM metrics_customers
        ORDER BY net_fen DESC, member_id DESC LIMIT @limit
        """;

    public async Task<IReadOnlyList<TopCustomerDto>> TopCustomersAsync(int limit, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<TopCustomerDto>(new CommandDefinition(TopSql, new { limit }, cancellationToken: ct))];
    }

    sealed record DailyRow
    {
        public DateTime Day { get; init; }
        public long NewMembers { get; init; }
        public long NewFollowers { get; init; }
        public long LostFollowers { get; init; }
        public long PaidOrders { get; init; }
        public long Buyers { get; init; }
        public long RevenueFen { get; init; }
        public long ImportedOrders { get; init; }
        public long ImportedRevenueFen { get; init; }
        public long ImportedMemberRevenueFen { get; init; }
    }

    sealed record CohortRow
    {
        public string Cohort { get; init; } = "";
        public DateTime LastDay { get; init; }
        public long Customers { get; init; }
        public long Repeat30 { get; init; }
        public long Repeat60 { get; init; }
        public long Repeat90 { get; init; }
        public long Net30Fen { get; init; }
        public long Net90Fen { get; init; }
        public long Net180Fen { get; init; }
        public long Net365Fen { get; init; }
        public long NetFen { get; init; }
    }
}
