using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace WeChatMall.Api.Features.Loyalty;

public abstract record TierWriteResult;
public sealed record TierSaved(TierDto Tier) : TierWriteResult;
public sealed record TierNotFound : TierWriteResult;
/// <summary>Code TIER_CODE_TAKEN or TIER_RANK_TAKEN.</summary>
public sealed record TierConflict(string Code, string Message) : TierWriteResult;

/// <summary>
/// Tier definitions in MariaDB, cached per instance for <see cref="LoyaltyOptions.TierCacheSeconds"/> (writes on this
/// instance clear it at once; other instances see a change within that time). Ordered by rank, best last.
/// </summary>
public sealed class TierStore(MySqlDataSource db, IOptions<LoyaltyOptions> options, TimeProvider time)
{
    const string Columns = """
        id AS Id, code AS Code, name AS Name, tier_rank AS `Rank`, min_spend_fen AS MinSpendFen, min_points_earned AS MinPointsEarned,
        discount_basis_points AS DiscountBasisPoints, points_multiplier_percent AS PointsMultiplierPercent, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;
    const string ListSql = "SELECT " + Columns + " FROM member_tiers ORDER BY tier_rank";
    const string FindSql = "SELECT " + Columns + " FROM member_tiers WHERE id = @id";

    const string InsertSql = """
        INSERT INTO member_tiers (code, name, tier_rank, min_spend_fen, min_points_earned, discount_basis_points, points_multiplier_percent, created_at, updated_at)
        VALUES (@Code, @Name, @Rank, @MinSpendFen, @MinPointsEarned, @DiscountBasisPoints, @PointsMultiplierPercent, @now, @now);
        SELECT LAST_INSERT_ID();
        """;

    const string UpdateSql = """
        UPDATE member_tiers SET code = @Code, name = @Name, tier_rank = @Rank, min_spend_fen = @MinSpendFen, min_points_earned = @MinPointsEarned,
            discount_basis_points = @DiscountBasisPoints, points_multiplier_percent = @PointsMultiplierPercent, updated_at = @now
        WHERE id = @id
        """;

    volatile Cached? cache;

    sealed record Cached(IReadOnlyList<TierDto> Tiers, DateTime Until);

    public async Task<IReadOnlyList<TierDto>> AllAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (cache is { } c0 && c0.Until > now) return c0.Tiers;
        await using var c = await db.OpenConnectionAsync(ct);
        var tiers = (await c.QueryAsync<TierDto>(new CommandDefinition(ListSql, cancellationToken: ct))).ToList();
        cache = new Cached(tiers, now.AddSeconds(options.Value.TierCacheSeconds));
        return tiers;
    }

    /// <summary>Uncached, inside a transaction: what OnOrderPaidAsync decides an upgrade on.</summary>
    public static async Task<IReadOnlyList<TierDto>> ReadAsync(DbConnection c, DbTransaction? tx, CancellationToken ct) =>
        (await c.QueryAsync<TierDto>(new CommandDefinition(ListSql, transaction: tx, cancellationToken: ct))).ToList();

    public async Task<TierWriteResult> CreateAsync(TierRequest r, CancellationToken ct) => await WriteAsync(null, r, ct);

    public async Task<TierWriteResult> UpdateAsync(long id, TierRequest r, CancellationToken ct) => await WriteAsync(id, r, ct);

    async Task<TierWriteResult> WriteAsync(long? id, TierRequest r, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        try
        {
            if (id is { } existing)
            {
                if (await c.ExecuteAsync(new CommandDefinition(UpdateSql, Args(r, now, existing), cancellationToken: ct)) == 0
                    && await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM member_tiers WHERE id = @id", new { id = existing }, cancellationToken: ct)) is null)
                    return new TierNotFound();
            }
            else id = await c.ExecuteScalarAsync<long>(new CommandDefinition(InsertSql, Args(r, now, 0), cancellationToken: ct));
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return ex.Message.Contains("ux_member_tiers_rank", StringComparison.Ordinal)
                ? new TierConflict("TIER_RANK_TAKEN", $"Another tier already has rank {r.Rank}.")
                : new TierConflict("TIER_CODE_TAKEN", $"Another tier already has code '{r.Code}'.");
        }
        cache = null;
        return new TierSaved(await c.QuerySingleAsync<TierDto>(new CommandDefinition(FindSql, new { id }, cancellationToken: ct)));
    }

    /// <summary>Members keep the code of a deleted tier in members.tier until their next paid order (then re-evaluated).</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var deleted = await c.ExecuteAsync(new CommandDefinition("DELETE FROM member_tiers WHERE id = @id", new { id }, cancellationToken: ct)) > 0;
        cache = null;
        return deleted;
    }

    static object Args(TierRequest r, DateTime now, long id) => new
    {
        id, r.Code, r.Name, r.Rank, r.MinSpendFen, r.MinPointsEarned, r.DiscountBasisPoints, r.PointsMultiplierPercent, now,
    };
}
