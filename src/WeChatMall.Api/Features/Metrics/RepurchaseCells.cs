using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Metrics;

/// <summary>
/// metrics_repurchase_cells, the part of <see cref="MetricsRollup"/> that answers the repurchase rate of a period that
/// ended before today without grouping its buyer-days. Each buyer-day row (day D, orders c, the buyer's previous
/// buyer-day P and next one N) is counted in cells by a pair of those days. For a period [a, b], a buyer's last
/// buyer-day up to b is the row with D ≤ b &lt; N, so:
/// <list type="bullet">
/// <item>buyers = rows with a ≤ D ≤ b &lt; N: the 'DN' cells with x in [a, b] and y &gt; b;</item>
/// <item>repeat buyers = those rows with c ≥ 2 ('DN2', the same sum) plus those with c = 1 and P ≥ a, which are the
/// one-order rows with a ≤ P and D ≤ b ('PD1' cells, x in [a, b], y ≤ b) less those with N ≤ b too ('PN1').</item>
/// </list>
/// A sum reads at most the period's days times the days after them: tens of thousands of small rows for a year,
/// whatever the number of buyers.
/// </summary>
public static class RepurchaseCells
{
    const string NoNext = "'9999-12-31'";

    static readonly string CellsSql = $"""
        INSERT INTO metrics_repurchase_cells (kind, x, y, buyer_days)
        SELECT 'DN', day, COALESCE(next_day, {NoNext}), COUNT(*) FROM metrics_customer_days {"{0}"} GROUP BY day, next_day
        UNION ALL SELECT 'DN2', day, COALESCE(next_day, {NoNext}), COUNT(*) FROM metrics_customer_days {"{0}"} AND orders >= 2 GROUP BY day, next_day
        UNION ALL SELECT 'PD1', prev_day, day, COUNT(*) FROM metrics_customer_days {"{1}"} AND orders = 1 GROUP BY prev_day, day
        UNION ALL SELECT 'PN1', prev_day, COALESCE(next_day, {NoNext}), COUNT(*) FROM metrics_customer_days {"{1}"} AND orders = 1 GROUP BY prev_day, next_day
        """;

    /// <summary>The period's buyers and repeat buyers (a period before today: one that ends today reads metrics_recency_days).</summary>
    public const string RepurchaseSql = """
        SELECT CAST(COALESCE(SUM(CASE WHEN kind = 'DN' AND y > @to THEN buyer_days END), 0) AS SIGNED),
               CAST(COALESCE(SUM(CASE WHEN kind = 'DN2' AND y > @to THEN buyer_days
                                      WHEN kind = 'PD1' AND y <= @to THEN buyer_days
                                      WHEN kind = 'PN1' AND y <= @to THEN -buyer_days END), 0) AS SIGNED)
        FROM metrics_repurchase_cells WHERE kind IN ('DN', 'DN2', 'PD1', 'PN1') AND x BETWEEN @from AND @to
        """;

    /// <summary>
    /// Recounts the cells whose x is one of <paramref name="days"/> (null: every cell, into the table a rebuild emptied).
    /// A buyer's rows only name the buyer's own days, so the days of the recomputed buyers (before and after) are all
    /// the x a change can touch.
    /// </summary>
    public static async Task RecountAsync(MySqlConnection c, IReadOnlyCollection<DateOnly>? days, CancellationToken ct)
    {
        if (days is { Count: 0 }) return;
        var list = days?.Select(d => d.ToDateTime(TimeOnly.MinValue)).ToArray();
        await using var tx = await c.BeginTransactionAsync(ct);
        if (list is not null)
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM metrics_repurchase_cells WHERE x IN @list", new { list }, tx, cancellationToken: ct));
        var sql = list is null
            ? string.Format(CellsSql, "WHERE TRUE", "WHERE prev_day IS NOT NULL")
            : string.Format(CellsSql, "WHERE day IN @list", "WHERE prev_day IN @list");
        await c.ExecuteAsync(new CommandDefinition(sql, new { list }, tx, cancellationToken: ct, commandTimeout: 1200));
        await tx.CommitAsync(ct);
    }
}
