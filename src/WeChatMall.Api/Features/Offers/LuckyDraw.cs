using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using MySqlConnector;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Database;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Offers;

public sealed record DrawPrizeRow(long Id, string Title, string Kind, long Points, long? CouponTemplateId, int Weight, int? Stock, int Won);

public sealed record DrawResultDto(long RecordId, string Outcome, long? PrizeId, string? PrizeTitle, string? PrizeKind, long PrizePoints,
    long? MemberCouponId, string Seed, long Roll, long TotalWeight, DateTime CreatedAt);

public abstract record DrawOutcome
{
    public sealed record Drawn(DrawResultDto Result) : DrawOutcome;
    public sealed record Refused(Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Problem) : DrawOutcome;
}

/// <summary>
/// One lucky draw, in one transaction: the member's daily limit (a counter row raised by a conditional UPDATE), a
/// chance (or the draw's points price through the ledger), a fresh 32-byte seed, the roll derived from it, and the
/// picked prize's stock taken by a conditional UPDATE (won &lt; stock), so a prize is never given more often than its
/// stock however many draw at once; when it ran out the draw is recorded as sold_out. The record keeps the seed, the
/// roll and the prize table drawn against, so the outcome can be recomputed by anyone (<see cref="Roll"/>, docs/offers.md).
/// </summary>
public sealed class LuckyDraw(MySqlDataSource db, TimeProvider clock)
{
    sealed record DrawRow(long Id, int DailyLimit, long PointsPerDraw, DateTime? StartsAt, DateTime? EndsAt, bool Active);

    const string PrizesSql = "SELECT id, title, kind, points, coupon_template_id, weight, stock, won FROM draw_prizes WHERE draw_id = @drawId ORDER BY id";

    const string RecordSql = """
        INSERT INTO draw_records (draw_id, member_id, seed, roll, total_weight, prize_table, picked_prize_id, prize_id, outcome, paid_with,
            member_coupon_id, created_at)
        VALUES (@drawId, @memberId, @seed, @roll, @total, @table, @picked, @prizeId, @outcome, @paidWith, @couponId, @now);
        SELECT LAST_INSERT_ID();
        """;

    /// <summary>
    /// The roll: the first 8 bytes of SHA-256(seed bytes) as a big-endian unsigned integer, modulo the total weight.
    /// Prizes are laid out in id order, each covering [sum of earlier weights, that + its weight).
    /// </summary>
    public static long Roll(byte[] seed, long totalWeight) =>
        (long)(BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(seed)) % (ulong)totalWeight);

    public static DrawPrizeRow? Pick(IReadOnlyList<DrawPrizeRow> prizes, long roll)
    {
        long edge = 0;
        foreach (var p in prizes)
            if (roll < (edge += p.Weight)) return p;
        return null;
    }

    public Task<DrawOutcome> DrawAsync(long memberId, long drawId, CancellationToken ct) =>
        LockConflictRetry.RunAsync(async () =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await using var c = await db.OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var draw = await c.QuerySingleOrDefaultAsync<DrawRow>(new CommandDefinition(
                "SELECT id, daily_limit, points_per_draw, starts_at, ends_at, active FROM draws WHERE id = @drawId", new { drawId }, tx, cancellationToken: ct));
            if (draw is null) return Refuse(404, "DRAW_NOT_FOUND", "No such lucky draw");
            if (!draw.Active || draw.StartsAt > now || draw.EndsAt <= now) return Refuse(409, "DRAW_NOT_OPEN", "This lucky draw is not open");
            var prizes = (await c.QueryAsync<DrawPrizeRow>(new CommandDefinition(PrizesSql, new { drawId }, tx, cancellationToken: ct))).ToList();
            var total = prizes.Sum(p => (long)p.Weight);
            if (total <= 0) return Refuse(409, "DRAW_NOT_OPEN", "This lucky draw has no prizes");

            var day = ChinaDate.Of(now).Sql();
            await c.ExecuteAsync(new CommandDefinition("INSERT IGNORE INTO draw_days (draw_id, member_id, day, draws) VALUES (@drawId, @memberId, @day, 0)",
                new { drawId, memberId, day }, tx, cancellationToken: ct));
            if (await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE draw_days SET draws = draws + 1 WHERE draw_id = @drawId AND member_id = @memberId AND day = @day AND draws < @limit",
                    new { drawId, memberId, day, limit = draw.DailyLimit }, tx, cancellationToken: ct)) == 0)
                return Refuse(429, "DRAW_DAILY_LIMIT", $"At most {draw.DailyLimit} draws a day");

            var seed = RandomNumberGenerator.GetBytes(32);
            var seedHex = Convert.ToHexStringLower(seed);
            var paidWith = "chance";
            if (!await DrawChances.TakeAsync(c, tx, memberId, ct))
            {
                if (draw.PointsPerDraw <= 0) return Refuse(409, "NO_DRAW_CHANCE", "No draw chance left");
                if (await PointsLedger.PostAsync(c, tx, memberId, -draw.PointsPerDraw, "Lucky draw", $"draw:{drawId}", $"draw-pay:{seedHex}", now, ct) is not PointsPosted)
                    return Refuse(409, "NO_DRAW_CHANCE", "No draw chance left and not enough points");
                paidWith = "points";
            }

            var roll = Roll(seed, total);
            var picked = Pick(prizes, roll)!;
            var won = picked.Kind != "none" && await c.ExecuteAsync(new CommandDefinition(
                "UPDATE draw_prizes SET won = won + 1 WHERE id = @id AND (stock IS NULL OR won < stock)", new { id = picked.Id }, tx, cancellationToken: ct)) == 1;
            long? couponId = null;
            if (won && picked.Kind == "coupon")
            {
                if (await CouponIssuer.IssueAsync(c, tx, picked.CouponTemplateId!.Value, memberId, "draw", $"draw:{drawId}", now, ct) is IssueResult.Issued i)
                    couponId = i.MemberCouponId;
                else
                {
                    won = false; // the coupon itself ran out or the member holds its limit: give the prize back
                    await c.ExecuteAsync(new CommandDefinition("UPDATE draw_prizes SET won = won - 1 WHERE id = @id", new { id = picked.Id }, tx, cancellationToken: ct));
                }
            }
            var outcome = picked.Kind == "none" ? "thanks" : won ? "won" : "sold_out";
            var table = JsonSerializer.Serialize(prizes.Select(p => new { p.Id, p.Kind, p.Weight, p.Stock, p.Won }), JsonSerializerOptions.Web);
            var recordId = await c.ExecuteScalarAsync<long>(new CommandDefinition(RecordSql, new
            {
                drawId, memberId, seed = seedHex, roll, total, table, picked = picked.Id, prizeId = won ? picked.Id : (long?)null, outcome, paidWith,
                couponId, now,
            }, tx, cancellationToken: ct));
            if (won && picked.Kind == "points")
                await PointsLedger.PostAsync(c, tx, memberId, picked.Points, "Lucky draw prize", $"draw:{drawId}", $"draw-prize:{recordId}", now, ct);
            await tx.CommitAsync(ct);
            return (DrawOutcome)new DrawOutcome.Drawn(new DrawResultDto(recordId, outcome, won ? picked.Id : null, won ? picked.Title : null,
                won ? picked.Kind : null, won && picked.Kind == "points" ? picked.Points : 0, couponId, seedHex, roll, total, now));
        }, ct);

    static DrawOutcome Refuse(int status, string code, string title) => new DrawOutcome.Refused(Problems.Of(status, code, title));
}
