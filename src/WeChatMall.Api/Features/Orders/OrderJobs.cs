using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Orders;

/// <summary>
/// Every Jobs:Orders:Interval (30 s): cancels unpaid orders past expires_at (stock and points returned, the WeChat Pay
/// order closed through the outbox) and completes shipped orders older than Orders:AutoCompleteDays. Safe on several
/// instances: each order moves through a conditional transition, so two instances finding the same order move it once.
/// </summary>
public sealed class OrderJobs(MySqlDataSource db, OrderLifecycle lifecycle, IOptions<OrderOptions> options,
    TimeProvider clock, ILogger<OrderJobs> logger, JobServices jobs) : PeriodicJob(jobs)
{
    public override string Name => "Orders";
    protected override TimeSpan DefaultInterval => TimeSpan.FromSeconds(30);
    protected override Task RunAsync(CancellationToken ct) => RunOnceAsync(ct);

    const string ExpiredSql = """
        SELECT id FROM orders WHERE status = 'pending_payment' AND expires_at <= @now ORDER BY expires_at LIMIT @batch
        """;

    const string DueCompleteSql = """
        SELECT id FROM orders WHERE status = 'shipped' AND shipped_at <= @before ORDER BY shipped_at LIMIT @batch
        """;

    /// <summary>One pass; returns (cancelled, completed) counts of orders this call moved.</summary>
    public async Task<(int Cancelled, int Completed)> RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        IReadOnlyList<long> expired, due;
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            expired = [.. await c.QueryAsync<long>(new CommandDefinition(ExpiredSql, new { now, batch = o.JobBatchSize }, cancellationToken: ct))];
            due = [.. await c.QueryAsync<long>(new CommandDefinition(DueCompleteSql,
                new { before = now.AddDays(-o.AutoCompleteDays), batch = o.JobBatchSize }, cancellationToken: ct))];
        }
        var cancelled = 0;
        foreach (var id in expired)
            if (await lifecycle.CancelAsync(id, "expiry-job", "unpaid", ct)) cancelled++;
        var completed = 0;
        foreach (var id in due)
            if (await lifecycle.CompleteAsync(id, "auto-complete", $"not confirmed within {o.AutoCompleteDays} days", ct)) completed++;
        if (cancelled + completed > 0) OrderJobLog.OrderJobMoved(logger, cancelled, completed);
        return (cancelled, completed);
    }
}

static partial class OrderJobLog
{
    [LoggerMessage(9102, LogLevel.Information, "Order job: {Cancelled} unpaid order(s) cancelled, {Completed} shipped order(s) completed")]
    public static partial void OrderJobMoved(ILogger logger, int cancelled, int completed);
}
