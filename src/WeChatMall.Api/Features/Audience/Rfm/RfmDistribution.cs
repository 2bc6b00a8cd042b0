using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace WeChatMall.Api.Features.Audience.Rfm;

public sealed record RfmGroupCount(string Group, string Name, long Members, long NetSpendFen);
public sealed record RfmScoreCount(int Score, long R, long F, long M);
public sealed record RfmDistributionDto(long Buyers, IReadOnlyList<RfmGroupCount> Groups, IReadOnlyList<RfmScoreCount> Scores, RfmSettingsDto Settings);

/// <summary>GET /admin/audience/rfm/distribution: members and spend per group (all eight, zeros included) and per quintile score.</summary>
public static class RfmDistribution
{
    public static async Task<Ok<RfmDistributionDto>> Handle(MySqlDataSource db, RfmSettingsStore settings, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var groups = (await c.QueryAsync<(string Group, long Members, long Spend)>(new CommandDefinition("""
            SELECT rfm_group, COUNT(*), CAST(SUM(net_spend_fen) AS SIGNED) FROM member_stats WHERE rfm_group IS NOT NULL GROUP BY rfm_group
            """, cancellationToken: ct))).ToDictionary(g => g.Group);
        // One scan: for each letter, how many members have each score 1..5.
        var sums = string.Join(", ", from letter in new[] { "r", "f", "m" } from n in Enumerable.Range(1, 5)
                                     select $"COALESCE(SUM({letter}_score = {n}), 0)");
        var row = (IDictionary<string, object>)await c.QuerySingleAsync(new CommandDefinition(
            $"SELECT {sums} FROM member_stats", cancellationToken: ct));
        var v = row.Values.Select(x => Convert.ToInt64(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var scores = Enumerable.Range(0, 5).Select(i => new RfmScoreCount(i + 1, v[i], v[5 + i], v[10 + i])).ToList();
        var list = RfmGroups.All.Select(g => new RfmGroupCount(g, RfmGroups.ChineseNames[g],
            groups.TryGetValue(g, out var x) ? x.Members : 0, groups.TryGetValue(g, out var y) ? y.Spend : 0)).ToList();
        return TypedResults.Ok(new RfmDistributionDto(list.Sum(g => g.Members), list, scores, await settings.GetAsync(ct)));
    }
}
