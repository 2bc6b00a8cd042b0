using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Loyalty;

/// <summary>
/// Expires what is left of lots past the policy's date: one visible "Points expired" ledger entry per lot, with the
/// key "points-expired:{lotId}". Safe on several instances: each lot is expired in its own transaction that locks the
/// member row first (as PointsLedger does) and re-reads the lot, and the key makes a second expiry of a lot a no-op.
/// </summary>
public sealed class PointsExpiryJob(MySqlDataSource db, IOptions<LoyaltyOptions> options, TimeProvider clock, ILogger<PointsExpiryJob> logger,
    JobServices jobs) : PeriodicJob(jobs)
{
    public override string Name => "PointsExpiry";
    protected override TimeSpan DefaultInterval => TimeSpan.FromHours(1);
    protected override bool SingleInstance => true; // safe on several, but one pass at a time is all it needs
    protected override Task RunAsync(CancellationToken ct) => ExpireAsync(clock.GetUtcNow().UtcDateTime, ct);

    const int BatchSize = 500;

    const string DueSql = """
        SELECT id AS Id, member_id AS MemberId FROM points_lots
        WHERE earned_at < @before AND remaining > 0 AND id > @afterId ORDER BY id LIMIT @BatchSize
        """;

    /// <summary>Expires every lot due at <paramref name="nowUtc"/>; returns the points expired by this call.</summary>
    public async Task<long> ExpireAsync(DateTime nowUtc, CancellationToken ct)
    {
        if (PointsExpiryPolicy.From(options.Value).EarnedBefore(nowUtc) is not { } before) return 0;
        long total = 0, afterId = 0;
        while (true)
        {
            List<DueLot> due;
            await using (var c = await db.OpenConnectionAsync(ct))
                due = (await c.QueryAsync<DueLot>(new CommandDefinition(DueSql, new { before, afterId, BatchSize }, cancellationToken: ct))).ToList();
            foreach (var lot in due) total += await ExpireLotAsync(lot, nowUtc, ct);
            if (due.Count < BatchSize) break;
            afterId = due[^1].Id;
        }
        if (total > 0) Log.Expired(logger, total, before);
        return total;
    }

    async Task<long> ExpireLotAsync(DueLot lot, DateTime now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        // Lock order as PointsLedger: the member row, then its lots. A merge may have moved the lot meanwhile: then
        // this run leaves it, and the next one finds it under the survivor.
        await c.ExecuteAsync(new CommandDefinition(
            "SELECT id FROM members WHERE id = @memberId FOR UPDATE", new { memberId = lot.MemberId }, tx, cancellationToken: ct));
        var current = await c.QuerySingleOrDefaultAsync<(long MemberId, long Remaining)>(new CommandDefinition(
            "SELECT member_id, remaining FROM points_lots WHERE id = @id FOR UPDATE", new { id = lot.Id }, tx, cancellationToken: ct));
        if (current.MemberId != lot.MemberId || current.Remaining == 0) return 0;
        var (mid, remaining) = current;
        var result = await PointsLedger.PostAsync(c, tx, mid, -remaining, "Points expired", $"lot:{lot.Id}", $"points-expired:{lot.Id}", now, lot.Id, ct);
        await tx.CommitAsync(ct);
        return result is PointsPosted { Duplicate: false } ? remaining : 0;
    }

    sealed record DueLot(long Id, long MemberId);
}

static partial class Log
{
    [LoggerMessage(7101, LogLevel.Information, "Expired {Points} points earned before {Before:o}")]
    public static partial void Expired(ILogger logger, long points, DateTime before);
}
