using System.Data.Common;
using System.Globalization;
using Dapper;

namespace WeChatMall.Api.Features.Campaigns.Mass;

/// <summary>
/// The one writer of mass_monthly_counts: how many mass messages each follower was sent in a China calendar month, for
/// WeChat's rule that a service account's follower receives at most 4 a month (a send beyond that silently does not
/// reach them). Kept in MySQL, in the transaction that hands the followers to a mass job, so two campaigns sending at
/// once cannot both take a follower's fourth slot.
/// </summary>
public static class MassMonthlyCounts
{
    const int RowsPerStatement = 500;

    /// <summary>The China calendar month of <paramref name="utc"/>, as 'yyyy-MM'.</summary>
    public static string MonthOf(DateTime utc) => ChinaTime.Of(utc).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>Locks these followers' counters of the month (created at 0 when missing) and returns them.</summary>
    public static async Task<Dictionary<string, int>> LockAsync(DbConnection c, DbTransaction tx, IReadOnlyList<string> openIds, string month,
        CancellationToken ct)
    {
        var sorted = openIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(); // one lock order for every caller
        foreach (var chunk in sorted.Chunk(RowsPerStatement))
        {
            var p = new DynamicParameters(new { month });
            var rows = chunk.Select((openId, i) =>
            {
                p.Add("o" + i.ToString(CultureInfo.InvariantCulture), openId);
                return $"(@o{i.ToString(CultureInfo.InvariantCulture)}, @month, 0)";
            });
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT IGNORE INTO mass_monthly_counts (openid, month, sent) VALUES " + string.Join(", ", rows), p, tx, cancellationToken: ct));
        }
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var chunk in sorted.Chunk(RowsPerStatement))
            foreach (var (openId, sent) in await c.QueryAsync<(string, int)>(new CommandDefinition(
                "SELECT openid, sent FROM mass_monthly_counts WHERE month = @month AND openid IN @chunk ORDER BY openid FOR UPDATE",
                new { month, chunk }, tx, cancellationToken: ct)))
                counts[openId] = sent;
        return counts;
    }

    /// <summary>Adds <paramref name="delta"/> (+1 for a job, -1 when WeChat did not take it) to the followers' counters of the month.</summary>
    public static async Task AddAsync(DbConnection c, DbTransaction tx, IReadOnlyList<string> openIds, string month, int delta, CancellationToken ct)
    {
        foreach (var chunk in openIds.Chunk(RowsPerStatement))
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE mass_monthly_counts SET sent = GREATEST(sent + @delta, 0) WHERE month = @month AND openid IN @chunk",
                new { month, chunk, delta }, tx, cancellationToken: ct));
    }
}
