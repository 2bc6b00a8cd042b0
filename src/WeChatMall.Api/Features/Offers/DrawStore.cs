using System.ComponentModel.DataAnnotations;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Offers;

/// <summary>A prize: kind points (Points), coupon (CouponTemplateId) or none ("thanks for taking part"); probability = Weight / Σ weights.</summary>
public sealed record DrawPrizeRequest([property: Required, StringLength(64, MinimumLength = 1)] string Title, [property: Required] string Kind,
    [property: Range(0, 1_000_000)] long Points, long? CouponTemplateId, [property: Range(0, 1_000_000)] int Weight,
    [property: Range(0, 10_000_000)] int? Stock);

public sealed record DrawRequest([property: Required, StringLength(64, MinimumLength = 1)] string Title, [property: Range(1, 1000)] int DailyLimit,
    [property: Range(0, 1_000_000)] long PointsPerDraw, DateTime? StartsAt, DateTime? EndsAt, [property: Required] IReadOnlyList<DrawPrizeRequest> Prizes);

public sealed record DrawDto(long Id, string Title, int DailyLimit, long PointsPerDraw, DateTime? StartsAt, DateTime? EndsAt, bool Active,
    IReadOnlyList<DrawPrizeRow> Prizes);

public sealed record DrawRecordDto(long Id, long DrawId, long MemberId, string Seed, long Roll, long TotalWeight, string PrizeTable,
    long? PickedPrizeId, long? PrizeId, string Outcome, string PaidWith, long? MemberCouponId, DateTime CreatedAt)
{
    /// <summary>The roll recomputed from the seed and the recorded prize table (true when the record is consistent).</summary>
    public bool Verified { get; init; }
}

/// <summary>The operator's lucky draws, their prizes and the record of every draw.</summary>
public sealed class DrawStore(MySqlDataSource db, TimeProvider clock)
{
    public static readonly string[] PrizeKinds = ["points", "coupon", "none"];

    public async Task<long> CreateAsync(DrawRequest r, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO draws (title, daily_limit, points_per_draw, starts_at, ends_at, active, created_at)
            VALUES (@Title, @DailyLimit, @PointsPerDraw, @StartsAt, @EndsAt, TRUE, @now); SELECT LAST_INSERT_ID();
            """, new { r.Title, r.DailyLimit, r.PointsPerDraw, r.StartsAt, r.EndsAt, now = clock.GetUtcNow().UtcDateTime }, tx, cancellationToken: ct));
        foreach (var p in r.Prizes)
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO draw_prizes (draw_id, title, kind, points, coupon_template_id, weight, stock)
                VALUES (@id, @Title, @Kind, @Points, @CouponTemplateId, @Weight, @Stock)
                """, new { id, p.Title, p.Kind, p.Points, p.CouponTemplateId, p.Weight, p.Stock }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return id;
    }

    public async Task<DrawDto?> GetAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var d = await c.QuerySingleOrDefaultAsync<(long Id, string Title, int DailyLimit, long PointsPerDraw, DateTime? StartsAt, DateTime? EndsAt, bool Active)>(
            new CommandDefinition("SELECT id, title, daily_limit, points_per_draw, starts_at, ends_at, active FROM draws WHERE id = @id", new { id }, cancellationToken: ct));
        if (d == default) return null;
        var prizes = await c.QueryAsync<DrawPrizeRow>(new CommandDefinition(
            "SELECT id, title, kind, points, coupon_template_id, weight, stock, won FROM draw_prizes WHERE draw_id = @id ORDER BY id", new { id }, cancellationToken: ct));
        return new DrawDto(d.Id, d.Title, d.DailyLimit, d.PointsPerDraw, d.StartsAt, d.EndsAt, d.Active, [.. prizes]);
    }

    /// <summary>Every draw, newest first, with its prizes (a merchant runs a handful, not thousands).</summary>
    public async Task<IReadOnlyList<DrawDto>> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var draws = (await c.QueryAsync<(long Id, string Title, int DailyLimit, long PointsPerDraw, DateTime? StartsAt, DateTime? EndsAt, bool Active)>(
            new CommandDefinition("SELECT id, title, daily_limit, points_per_draw, starts_at, ends_at, active FROM draws ORDER BY id DESC LIMIT 500",
                cancellationToken: ct))).ToList();
        var prizes = (await c.QueryAsync<(long DrawId, long Id, string Title, string Kind, long Points, long? CouponTemplateId, int Weight, int? Stock, int Won)>(
            new CommandDefinition("""
                SELECT draw_id, id, title, kind, points, coupon_template_id, weight, stock, won FROM draw_prizes
                WHERE draw_id IN @ids ORDER BY id
                """, new { ids = draws.Count > 0 ? draws.Select(d => d.Id).ToArray() : [0L] }, cancellationToken: ct)))
            .ToLookup(p => p.DrawId, p => new DrawPrizeRow(p.Id, p.Title, p.Kind, p.Points, p.CouponTemplateId, p.Weight, p.Stock, p.Won));
        return [.. draws.Select(d => new DrawDto(d.Id, d.Title, d.DailyLimit, d.PointsPerDraw, d.StartsAt, d.EndsAt, d.Active, [.. prizes[d.Id]]))];
    }

    public async Task<bool> SetActiveAsync(long id, bool active, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition("UPDATE draws SET active = @active WHERE id = @id", new { id, active }, cancellationToken: ct)) == 1;
    }

    /// <summary>Newest first; each record re-verified: the roll from its seed, the prize it points at in the recorded table.</summary>
    public async Task<IReadOnlyList<DrawRecordDto>> RecordsAsync(long drawId, long? memberId, int take, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<DrawRecordDto>(new CommandDefinition("""
            SELECT id, draw_id, member_id, seed, roll, total_weight, prize_table, picked_prize_id, prize_id, outcome, paid_with, member_coupon_id, created_at
            FROM draw_records WHERE draw_id = @drawId AND (@memberId IS NULL OR member_id = @memberId) ORDER BY id DESC LIMIT @take
            """, new { drawId, memberId, take }, cancellationToken: ct));
        return [.. rows.Select(r => r with { Verified = Verify(r) })];
    }

    static bool Verify(DrawRecordDto r)
    {
        var table = System.Text.Json.JsonSerializer.Deserialize<List<DrawPrizeRow>>(r.PrizeTable, System.Text.Json.JsonSerializerOptions.Web) ?? [];
        var total = table.Sum(p => (long)p.Weight);
        var roll = LuckyDraw.Roll(Convert.FromHexString(r.Seed), total);
        return total == r.TotalWeight && roll == r.Roll && LuckyDraw.Pick(table, roll)?.Id == r.PickedPrizeId;
    }
}
