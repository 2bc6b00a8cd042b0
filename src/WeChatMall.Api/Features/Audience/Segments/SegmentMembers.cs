using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace WeChatMall.Api.Features.Audience.Segments;

/// <summary>One member in a segment preview or export.</summary>
public sealed record SegmentMemberDto
{
    public long MemberId { get; init; }
    public string? Tier { get; init; }
    public long Points { get; init; }
    public int PaidOrders { get; init; }
    public long NetSpendFen { get; init; }
    public DateTime? FirstPaidAt { get; init; }
    public DateTime? LastPaidAt { get; init; }
    public string? FirstChannel { get; init; }
    public bool Following { get; init; }
    public DateTime? LastInteractionAt { get; init; }
    public string? RfmGroup { get; init; }
}

/// <summary>
/// Who is in a compiled rule: a count, and pages of members in id order (keyset: pass the last id of a page as
/// <c>afterId</c>). Campaigns call this to freeze recipients; the admin preview and export use it too.
/// </summary>
public sealed class SegmentMembers(MySqlDataSource db, SegmentStore segments, IOptions<AudienceOptions> options, TimeProvider time)
{
    /// <summary>Compiles a rule for now (windows such as "within 90 days" are relative to the current time).</summary>
    public (CompiledRule? Rule, RuleError? Error) Compile(JsonElement rule) =>
        SegmentCompiler.Compile(rule, time.GetUtcNow().UtcDateTime, options.Value.MaxRuleNodes);

    /// <summary>A saved segment's rule, compiled; null when there is no such segment (or its rule no longer compiles).</summary>
    public async Task<CompiledRule?> SavedAsync(long segmentId, CancellationToken ct) =>
        await segments.FindAsync(segmentId, ct) is { } s ? Compile(s.Rule).Rule : null;

    /// <summary>How many members a saved segment holds now; null when there is no such segment.</summary>
    public async Task<long?> CountAsync(long segmentId, CancellationToken ct) =>
        await SavedAsync(segmentId, ct) is { } rule ? await CountAsync(rule, ct) : null;

    /// <summary>The next page of a saved segment's member ids after <paramref name="afterId"/>; null when there is no such segment.</summary>
    public async Task<IReadOnlyList<long>?> PageIdsAsync(long segmentId, long afterId, int limit, CancellationToken ct) =>
        await SavedAsync(segmentId, ct) is { } rule ? await PageIdsAsync(rule, afterId, limit, ct) : null;

    const string MemberColumns = """
        s.member_id AS MemberId, m.tier AS Tier, m.points_balance AS Points, s.paid_orders AS PaidOrders, s.net_spend_fen AS NetSpendFen,
        s.first_paid_at AS FirstPaidAt, s.last_paid_at AS LastPaidAt, s.first_channel AS FirstChannel, s.following AS Following,
        s.last_interaction_at AS LastInteractionAt, s.rfm_group AS RfmGroup
        """;

    // member_stats has rows for unmerged members only, so members is joined only when the rule reads it.
    static string From(CompiledRule rule, bool withMembers) =>
        withMembers || rule.UsesMembers ? "member_stats s JOIN members m ON m.id = s.member_id" : "member_stats s";

    public async Task<long> CountAsync(CompiledRule rule, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM {From(rule, false)} WHERE {rule.Where}", rule.Parameters, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<long>> PageIdsAsync(CompiledRule rule, long afterId, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var p = new DynamicParameters(rule.Parameters);
        p.AddDynamicParams(new { afterId, limit });
        return (await c.QueryAsync<long>(new CommandDefinition(
            $"SELECT s.member_id FROM {From(rule, false)} WHERE s.member_id > @afterId AND {rule.Where} ORDER BY s.member_id LIMIT @limit",
            p, cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyList<SegmentMemberDto>> PageAsync(CompiledRule rule, long afterId, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var p = new DynamicParameters(rule.Parameters);
        p.AddDynamicParams(new { afterId, limit });
        return (await c.QueryAsync<SegmentMemberDto>(new CommandDefinition(
            $"SELECT {MemberColumns} FROM {From(rule, true)} WHERE s.member_id > @afterId AND {rule.Where} ORDER BY s.member_id LIMIT @limit",
            p, cancellationToken: ct))).AsList();
    }

    /// <summary>Every member, page by page (for the CSV export): memory stays one page whatever the segment's size.</summary>
    public async IAsyncEnumerable<SegmentMemberDto> StreamAsync(CompiledRule rule, [EnumeratorCancellation] CancellationToken ct)
    {
        const int Page = 5_000;
        long after = 0;
        while (true)
        {
            var page = await PageAsync(rule, after, Page, ct);
            foreach (var m in page) yield return m;
            if (page.Count < Page) yield break;
            after = page[^1].MemberId;
        }
    }
}
