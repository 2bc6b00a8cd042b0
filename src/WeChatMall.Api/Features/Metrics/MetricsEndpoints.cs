using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Metrics;

/// <summary>
/// The merchant's numbers (docs/metrics.md). Ranges are China days, from and to included (yyyy-MM-dd); without them
/// the last 30 days up to today.
/// </summary>
public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMerchantMetrics(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/metrics").WithTags("Metrics").RequireAdmin(AdminArea.Metrics);
        g.MapGet("/growth", Growth).WithName("AdminMetricsGrowth").WithSummary("Members and followers per day: new, lost, net, totals.");
        g.MapGet("/revenue", Revenue).WithName("AdminMetricsRevenue")
            .WithSummary("Revenue net of refunds per day, average order value, imported vs own-channel, the share from members.");
        g.MapGet("/repurchase", Repurchase).WithName("AdminMetricsRepurchase").WithSummary("Share of the period's buyers with two or more orders in it.");
        g.MapGet("/cohorts", Cohorts).WithName("AdminMetricsCohorts")
            .WithSummary("First-purchase cohorts (by month and in total): R30/R60/R90 and average value at 30/90/180/365 days.");
        g.MapGet("/ltv", Ltv).WithName("AdminMetricsLtv").WithSummary("Lifetime value distribution of buyers (optionally of a first-purchase range).");
        g.MapGet("/top-customers", TopCustomers).WithName("AdminMetricsTopCustomers");
        g.MapPost("/refresh", Refresh).WithName("AdminMetricsRefresh").WithSummary("Run the incremental rollup now (the job runs it every 20 s).");
        g.MapPost("/rebuild", Rebuild).WithName("AdminMetricsRebuild").WithSummary("Recompute every rollup from the source tables.");
        return app;
    }

    static ProblemHttpResult? CheckRange(ref DateOnly? from, ref DateOnly? to, MetricsQueries q, MetricsOptions o)
    {
        to ??= q.Today;
        from ??= to.Value.AddDays(-29);
        if (from > to) return Problems.BadRequest("METRICS_RANGE_INVALID", "'from' is after 'to'");
        if (to.Value.DayNumber - from.Value.DayNumber + 1 > o.MaxRangeDays)
            return Problems.BadRequest("METRICS_RANGE_INVALID", $"At most {o.MaxRangeDays} days per query");
        return null;
    }

    static async Task<Results<Ok<GrowthDto>, ProblemHttpResult>> Growth(DateOnly? from, DateOnly? to, MetricsQueries q,
        IOptions<MetricsOptions> o, CancellationToken ct) =>
        CheckRange(ref from, ref to, q, o.Value) is { } bad ? bad : TypedResults.Ok(await q.GrowthAsync(from!.Value, to!.Value, ct));

    static async Task<Results<Ok<RevenueDto>, ProblemHttpResult>> Revenue(DateOnly? from, DateOnly? to, MetricsQueries q,
        IOptions<MetricsOptions> o, CancellationToken ct) =>
        CheckRange(ref from, ref to, q, o.Value) is { } bad ? bad : TypedResults.Ok(await q.RevenueAsync(from!.Value, to!.Value, ct));

    // A period ending today costs one row per day whatever its length (the recency rollup): only earlier periods are
    // held to MaxRangeDays.
    static async Task<Results<Ok<RepurchaseDto>, ProblemHttpResult>> Repurchase(DateOnly? from, DateOnly? to, MetricsQueries q,
        IOptions<MetricsOptions> o, CancellationToken ct)
    {
        var endsToday = to is null || to >= q.Today;
        var limits = endsToday ? new MetricsOptions { MaxRangeDays = int.MaxValue } : o.Value;
        return CheckRange(ref from, ref to, q, limits) is { } bad ? bad : TypedResults.Ok(await q.RepurchaseAsync(from!.Value, to!.Value, ct));
    }

    // Cohorts span months to years: the range may be longer than a dashboard's daily series.
    static async Task<Results<Ok<CohortsDto>, ProblemHttpResult>> Cohorts(DateOnly? from, DateOnly? to, MetricsQueries q, CancellationToken ct)
    {
        to ??= q.Today;
        from ??= to.Value.AddDays(-364);
        if (from > to) return Problems.BadRequest("METRICS_RANGE_INVALID", "'from' is after 'to'");
        return TypedResults.Ok(await q.CohortsAsync(from.Value, to.Value, ct));
    }

    static async Task<Results<Ok<LtvDistributionDto>, ProblemHttpResult>> Ltv(DateOnly? from, DateOnly? to, MetricsQueries q, CancellationToken ct) =>
        from > to ? Problems.BadRequest("METRICS_RANGE_INVALID", "'from' is after 'to'") : TypedResults.Ok(await q.LtvAsync(from, to, ct));

    static async Task<Ok<IReadOnlyList<TopCustomerDto>>> TopCustomers(int? limit, MetricsQueries q, CancellationToken ct) =>
        TypedResults.Ok(await q.TopCustomersAsync(Math.Clamp(limit ?? 20, 1, 200), ct));

    static async Task<Ok<RollupDto>> Refresh(MetricsRollup rollup, CancellationToken ct) => TypedResults.Ok(Dto(await rollup.RefreshAsync(ct)));

    static async Task<Ok<RollupDto>> Rebuild(MetricsRollup rollup, CancellationToken ct) => TypedResults.Ok(Dto(await rollup.RebuildAsync(ct)));

    static RollupDto Dto(RollupResult r) => new(r.Buyers, r.Days, r.Cohorts, r.Watermark);
}
