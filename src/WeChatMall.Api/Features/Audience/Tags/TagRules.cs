using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Audience.Segments;

namespace WeChatMall.Api.Features.Audience.Tags;

/// <summary>
/// Keeps rule tags current: for the members that just changed (inside the caller's transaction, after their stats were
/// recomputed), and for everyone in id ranges (the nightly pass, and when a tag's rule is saved). A rule tag's rule is a
/// segment rule that may not name tags.
/// </summary>
public sealed class TagRules(MySqlDataSource db, IOptions<AudienceOptions> options, TimeProvider time)
{
    public (CompiledRule? Rule, RuleError? Error) Compile(JsonElement rule) =>
        SegmentCompiler.Compile(rule, time.GetUtcNow().UtcDateTime, options.Value.MaxRuleNodes, allowTags: false);

    public async Task RefreshMembersAsync(DbConnection c, DbTransaction tx, IReadOnlyCollection<long> memberIds, CancellationToken ct)
    {
        if (memberIds.Count == 0) return;
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (tagId, text) in await TagStore.RuleTagsAsync(c, tx, ct))
        {
            if (Compile(JsonDocument.Parse(text).RootElement).Rule is not { } rule) continue;
            var p = new DynamicParameters(rule.Parameters);
            p.Add("ids", memberIds);
            var matching = (await c.QueryAsync<long>(new CommandDefinition(
                $"SELECT s.member_id FROM {From(rule)} WHERE s.member_id IN @ids AND {rule.Where}", p, tx, cancellationToken: ct))).AsList();
            await TagStore.SetRuleMembersAsync(c, tx, tagId, memberIds, matching, now, ct);
        }
    }

    /// <summary>Recomputes one rule tag (or every rule tag) over all members, 5,000 member ids per transaction.</summary>
    public async Task RefreshAllAsync(long? onlyTagId, CancellationToken ct)
    {
        const long Range = 5_000;
        IReadOnlyList<(long Id, string Rule)> tags;
        long maxId;
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            tags = (await TagStore.RuleTagsAsync(c, null, ct)).Where(t => onlyTagId is null || t.Id == onlyTagId).ToList();
            maxId = await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(id) FROM members", cancellationToken: ct)) ?? 0;
        }
        foreach (var (tagId, text) in tags)
        {
            if (Compile(JsonDocument.Parse(text).RootElement).Rule is not { } rule) continue;
            for (long from = 1; from <= maxId; from += Range)
            {
                await using var c = await db.OpenConnectionAsync(ct);
                await using var tx = await c.BeginTransactionAsync(ct);
                var p = new DynamicParameters(rule.Parameters);
                p.AddDynamicParams(new { from, to = from + Range - 1, tagId });
                var matching = (await c.QueryAsync<long>(new CommandDefinition(
                    $"SELECT s.member_id FROM {From(rule)} WHERE s.member_id BETWEEN @from AND @to AND {rule.Where}", p, tx, cancellationToken: ct))).AsList();
                var holding = (await c.QueryAsync<long>(new CommandDefinition(
                    "SELECT member_id FROM member_tags WHERE tag_id = @tagId AND member_id BETWEEN @from AND @to", p, tx, cancellationToken: ct))).AsList();
                await TagStore.SetRuleMembersAsync(c, tx, tagId, [.. holding.Union(matching)], matching, time.GetUtcNow().UtcDateTime, ct);
                await tx.CommitAsync(ct);
            }
        }
    }

    static string From(CompiledRule rule) => rule.UsesMembers ? "member_stats s JOIN members m ON m.id = s.member_id" : "member_stats s";
}
