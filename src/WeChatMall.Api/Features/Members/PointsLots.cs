using System.Data.Common;
using Dapper;

namespace WeChatMall.Api.Features.Members;

public sealed record PointsLotDto(long Id, long Points, long Remaining, DateTime EarnedAt);

/// <summary>
/// What is left of each credit, for expiry: every credit opens a lot and every debit consumes lots oldest first
/// (earned_at, then id), so the points that expire are the unspent remainder of the oldest credits. Only
/// <see cref="PointsLedger"/> calls this, in its transaction, after it has locked the member row; so the sum of a
/// member's remaining equals points_balance.
/// </summary>
public static class PointsLots
{
    const string OpenSql = """
        INSERT INTO points_lots (member_id, ledger_id, points, remaining, earned_at)
        VALUES (@memberId, @ledgerId, @points, @points, @now)
        """;

    // The member row is locked by the caller, so no other transaction changes these lots meanwhile.
    const string OpenLotsSql = """
        SELECT id AS Id, points AS Points, remaining AS Remaining, earned_at AS EarnedAt
        FROM points_lots WHERE member_id = @memberId AND remaining > 0 ORDER BY earned_at, id FOR UPDATE
        """;

    const string TakeSql = "UPDATE points_lots SET remaining = remaining - @take WHERE id = @id AND remaining >= @take";

    public static Task OpenAsync(DbConnection c, DbTransaction tx, long memberId, long ledgerId, long points, DateTime now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(OpenSql, new { memberId, ledgerId, points, now }, tx, cancellationToken: ct));

    public static async Task ConsumeAsync(DbConnection c, DbTransaction tx, long memberId, long points, long? firstLotId, CancellationToken ct)
    {
        var lots = (await c.QueryAsync<PointsLotDto>(new CommandDefinition(OpenLotsSql, new { memberId }, tx, cancellationToken: ct))).ToList();
        if (firstLotId is { } first)
            lots = lots.Where(l => l.Id == first).Concat(lots.Where(l => l.Id != first)).ToList();
        foreach (var lot in lots)
        {
            if (points == 0) break;
            var take = Math.Min(points, lot.Remaining);
            await c.ExecuteAsync(new CommandDefinition(TakeSql, new { take, id = lot.Id }, tx, cancellationToken: ct));
            points -= take;
        }
    }
}
