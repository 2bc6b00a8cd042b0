using Dapper;
using MySqlConnector;
using WeChatMall.Api.Features.Audience.Segments;
using WeChatMall.Api.Infrastructure.Database;

namespace WeChatMall.Api.Features.Offers;

public sealed record SegmentGrantRequest(long SegmentId);
public sealed record GrantRefusalCountDto(string Code, int Count);
public sealed record SegmentGrantDto(long Id, long TemplateId, long SegmentId, string Status, int Frozen, int Issued, int Refused, int Pending,
    IReadOnlyList<GrantRefusalCountDto> RefusedBy, string RequestedBy, DateTime CreatedAt, DateTime? FinishedAt);

/// <summary>
/// The only writer of coupon_grant_runs and coupon_grant_recipients: an operator's grant of one coupon to every member
/// of a segment, as a job. The segment is frozen into recipient rows (in member-id pages, resumable from the last frozen
/// id), then each recipient is issued its coupon through <see cref="CouponIssuer"/> in the transaction that moves its
/// row out of pending — so a crash, a retry or a second instance never issues twice and never skips anyone.
/// </summary>
public sealed class CouponSegmentGrants(MySqlDataSource db, SegmentMembers segments, TimeProvider clock)
{
    public const string Freezing = "freezing", Issuing = "issuing", Done = "done";
    const int FreezePage = 2000, IssueBatch = 200;

    sealed record RunRow(long Id, long TemplateId, long SegmentId, string Status, int Frozen, string RequestedBy, DateTime CreatedAt, DateTime? FinishedAt);

    const string RunColumns = "id, template_id, segment_id, status, frozen, requested_by, created_at, finished_at";

    public async Task<SegmentGrantDto> StartAsync(long templateId, long segmentId, string requestedBy, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO coupon_grant_runs (template_id, segment_id, status, requested_by, created_at, updated_at)
            VALUES (@templateId, @segmentId, 'freezing', @requestedBy, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { templateId, segmentId, requestedBy, now }, cancellationToken: ct));
        return (await FindAsync(id, ct))!;
    }

    public async Task<SegmentGrantDto?> FindAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var run = await c.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(
            $"SELECT {RunColumns} FROM coupon_grant_runs WHERE id = @id", new { id }, cancellationToken: ct));
        return run is null ? null : ToDto(run, (await CountsAsync(c, [run.Id], ct))[run.Id]);
    }

    public async Task<IReadOnlyList<SegmentGrantDto>> ListAsync(long templateId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var runs = (await c.QueryAsync<RunRow>(new CommandDefinition(
            $"SELECT {RunColumns} FROM coupon_grant_runs WHERE template_id = @templateId ORDER BY id DESC LIMIT 50", new { templateId }, cancellationToken: ct))).ToList();
        var counts = await CountsAsync(c, runs.Select(r => r.Id).ToList(), ct);
        return runs.Select(r => ToDto(r, counts[r.Id])).ToList();
    }

    sealed record RecipientCount
    {
        public long RunId { get; init; }
        public string Status { get; init; } = "";
        public string? Code { get; init; }
        public int Count { get; init; }
    }

    // One query for all the runs: recipients by run, status and refusal code.
    static async Task<ILookup<long, RecipientCount>> CountsAsync(MySqlConnection c, IReadOnlyList<long> runIds, CancellationToken ct) =>
        runIds.Count == 0 ? Array.Empty<RecipientCount>().ToLookup(x => x.RunId) :
        (await c.QueryAsync<RecipientCount>(new CommandDefinition("""
            SELECT run_id AS RunId, status AS Status, code AS Code, CAST(COUNT(*) AS SIGNED) AS Count FROM coupon_grant_recipients
            WHERE run_id IN @runIds GROUP BY run_id, status, code
            """, new { runIds }, cancellationToken: ct))).ToLookup(x => x.RunId);

    static SegmentGrantDto ToDto(RunRow run, IEnumerable<RecipientCount> of)
    {
        var counts = of.ToList();
        int Of(string status) => counts.Where(x => x.Status == status).Sum(x => x.Count);
        var refusedBy = counts.Where(x => x.Status == "refused").Select(x => new GrantRefusalCountDto(x.Code ?? "", x.Count))
            .OrderByDescending(x => x.Count).ToList();
        return new SegmentGrantDto(run.Id, run.TemplateId, run.SegmentId, run.Status, run.Status == Freezing ? counts.Sum(x => x.Count) : run.Frozen,
            Of("issued"), Of("refused"), Of("pending"), refusedBy, run.RequestedBy, run.CreatedAt, run.FinishedAt);
    }

    /// <summary>Works every unfinished run to its end (the job's pass); answers how many coupons it issued.</summary>
    public async Task<int> WorkAsync(CancellationToken ct)
    {
        List<RunRow> runs;
        await using (var c = await db.OpenConnectionAsync(ct))
            runs = (await c.QueryAsync<RunRow>(new CommandDefinition(
                $"SELECT {RunColumns} FROM coupon_grant_runs WHERE status <> 'done' ORDER BY id LIMIT 20", cancellationToken: ct))).ToList();
        var issued = 0;
        foreach (var run in runs)
        {
            if (run.Status == Freezing) await FreezeAsync(run, ct);
            issued += await IssueAllAsync(run, ct);
            await FinishIfDoneAsync(run.Id, ct);
        }
        return issued;
    }

    async Task FreezeAsync(RunRow run, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var afterId = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(member_id) FROM coupon_grant_recipients WHERE run_id = @id", new { id = run.Id }, cancellationToken: ct)) ?? 0;
        while (true)
        {
            // A segment deleted meanwhile ends the freeze with whoever was frozen.
            var page = await segments.PageIdsAsync(run.SegmentId, afterId, FreezePage, ct) ?? [];
            if (page.Count > 0)
                await c.ExecuteAsync(new CommandDefinition(
                    $"INSERT IGNORE INTO coupon_grant_recipients (run_id, member_id) VALUES {string.Join(",", page.Select(m => $"({run.Id},{m})"))}",
                    cancellationToken: ct));
            if (page.Count < FreezePage) break;
            afterId = page[^1];
        }
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE coupon_grant_runs SET status = 'issuing', updated_at = @now,
                frozen = (SELECT COUNT(*) FROM coupon_grant_recipients WHERE run_id = @id)
            WHERE id = @id AND status = 'freezing'
            """, new { id = run.Id, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    async Task<int> IssueAllAsync(RunRow run, CancellationToken ct)
    {
        var issued = 0;
        while (true)
        {
            List<long> pending;
            await using (var c = await db.OpenConnectionAsync(ct))
                pending = (await c.QueryAsync<long>(new CommandDefinition("""
                    SELECT member_id FROM coupon_grant_recipients WHERE run_id = @id AND status = 'pending' ORDER BY member_id LIMIT @IssueBatch
                    """, new { id = run.Id, IssueBatch }, cancellationToken: ct))).ToList();
            if (pending.Count == 0) return issued;
            foreach (var memberId in pending)
                if (await IssueOneAsync(run, memberId, ct)) issued++;
        }
    }

    // The recipient row is locked first: whoever holds it issues, anyone else finds it no longer pending.
    Task<bool> IssueOneAsync(RunRow run, long memberId, CancellationToken ct) =>
        LockConflictRetry.RunAsync(async () =>
        {
            await using var c = await db.OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var status = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT status FROM coupon_grant_recipients WHERE run_id = @runId AND member_id = @memberId FOR UPDATE",
                new { runId = run.Id, memberId }, tx, cancellationToken: ct));
            if (status != "pending") return false;
            var now = clock.GetUtcNow().UtcDateTime;
            var result = await CouponIssuer.IssueAsync(c, tx, run.TemplateId, memberId, "grant", $"segment-grant:{run.Id}", now, ct);
            var (outcome, code, couponId) = result switch
            {
                IssueResult.Issued i => ("issued", (string?)null, (long?)i.MemberCouponId),
                IssueResult.Refused r => ("refused", r.Code, null),
                _ => throw new InvalidOperationException(result.GetType().Name),
            };
            await c.ExecuteAsync(new CommandDefinition("""
                UPDATE coupon_grant_recipients SET status = @outcome, code = @code, member_coupon_id = @couponId, done_at = @now
                WHERE run_id = @runId AND member_id = @memberId
                """, new { outcome, code, couponId, now, runId = run.Id, memberId }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return outcome == "issued";
        }, ct, ex => ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry);

    async Task FinishIfDoneAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE coupon_grant_runs SET status = 'done', finished_at = @now, updated_at = @now
            WHERE id = @id AND status = 'issuing'
              AND NOT EXISTS (SELECT 1 FROM coupon_grant_recipients WHERE run_id = @id AND status = 'pending')
            """, new { id, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }
}
