using System.Data.Common;
using System.Text.Json;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Offers;

/// <summary>coupon_templates as stored (JSON columns as text).</summary>
public sealed record CouponTemplateRow
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string Description { get; init; } = "";
    public string Terms { get; init; } = "";
    public string Kind { get; init; } = "";
    public long AmountOffFen { get; init; }
    public int PercentOff { get; init; }
    public long? MaxDiscountFen { get; init; }
    public long ThresholdFen { get; init; }
    public string Scope { get; init; } = "all";
    public string ScopeIds { get; init; } = "[]";
    public string ExcludedProductIds { get; init; } = "[]";
    public DateTime? ValidFrom { get; init; }
    public DateTime? ValidTo { get; init; }
    public int? ValidDays { get; init; }
    public int? TotalStock { get; init; }
    public int Issued { get; init; }
    public int PerMemberLimit { get; init; }
    public string Audience { get; init; } = "all";
    public string AudienceTiers { get; init; } = "[]";
    public bool CombinableWithTier { get; init; }
    public bool Claimable { get; init; }
    public string? RedeemCode { get; init; }
    public long? GiftOnPaidFromFen { get; init; }
    public bool Active { get; init; }
    public DateTime CreatedAt { get; init; }

    public CouponTemplateDto ToDto() => new(Id, Title, Description, Terms, Kind, AmountOffFen, PercentOff, MaxDiscountFen, ThresholdFen, Scope,
        Ids(ScopeIds), Ids(ExcludedProductIds), ValidFrom, ValidTo, ValidDays, TotalStock, Issued, PerMemberLimit, Audience,
        JsonSerializer.Deserialize<string[]>(AudienceTiers) ?? [], CombinableWithTier, Claimable, RedeemCode, GiftOnPaidFromFen, Active, CreatedAt);

    public static long[] Ids(string json) => JsonSerializer.Deserialize<long[]>(json) ?? [];
}

/// <summary>The operator's coupon templates. Stock (issued) is never written here: only <see cref="CouponIssuer"/> takes it.</summary>
public sealed class CouponTemplateStore(MySqlDataSource db, TimeProvider clock)
{
    public const string Columns = """
        id, title, description, terms, kind, amount_off_fen, percent_off, max_discount_fen, threshold_fen, scope, scope_ids,
        excluded_product_ids, valid_from, valid_to, valid_days, total_stock, issued, per_member_limit, audience, audience_tiers,
        combinable_with_tier, claimable, redeem_code, gift_on_paid_from_fen, active, created_at
        """;

    const string InsertSql = """
        INSERT INTO coupon_templates (title, description, terms, kind, amount_off_fen, percent_off, max_discount_fen, threshold_fen, scope,
            scope_ids, excluded_product_ids, valid_from, valid_to, valid_days, total_stock, per_member_limit, audience, audience_tiers,
            combinable_with_tier, claimable, redeem_code, gift_on_paid_from_fen, active, created_at, updated_at)
        VALUES (@Title, @Description, @Terms, @Kind, @AmountOffFen, @PercentOff, @MaxDiscountFen, @ThresholdFen, @Scope, @ScopeIds,
            @ExcludedProductIds, @ValidFrom, @ValidTo, @ValidDays, @TotalStock, @PerMemberLimit, @Audience, @AudienceTiers,
            @CombinableWithTier, @Claimable, @RedeemCode, @GiftOnPaidFromFen, @Active, @now, @now);
        SELECT LAST_INSERT_ID();
        """;

    // Stock can be raised or lowered, but not below what was already issued.
    const string UpdateSql = """
        UPDATE coupon_templates SET title = @Title, description = @Description, terms = @Terms, kind = @Kind, amount_off_fen = @AmountOffFen,
            percent_off = @PercentOff, max_discount_fen = @MaxDiscountFen, threshold_fen = @ThresholdFen, scope = @Scope, scope_ids = @ScopeIds,
            excluded_product_ids = @ExcludedProductIds, valid_from = @ValidFrom, valid_to = @ValidTo, valid_days = @ValidDays,
            total_stock = @TotalStock, per_member_limit = @PerMemberLimit, audience = @Audience, audience_tiers = @AudienceTiers,
            combinable_with_tier = @CombinableWithTier, claimable = @Claimable, redeem_code = @RedeemCode,
            gift_on_paid_from_fen = @GiftOnPaidFromFen, active = @Active, updated_at = @now
        WHERE id = @id AND (@TotalStock IS NULL OR issued <= @TotalStock)
        """;

    public static Task<CouponTemplateRow?> FindAsync(DbConnection c, DbTransaction? tx, long id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<CouponTemplateRow>(new CommandDefinition(
            $"SELECT {Columns} FROM coupon_templates WHERE id = @id", new { id }, tx, cancellationToken: ct));

    public async Task<CouponTemplateDto?> GetAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await FindAsync(c, null, id, ct))?.ToDto();
    }

    public async Task<IReadOnlyList<CouponTemplateDto>> ListAsync(bool claimableOnly, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var sql = claimableOnly
            ? $"SELECT {Columns} FROM coupon_templates WHERE active AND claimable AND (valid_to IS NULL OR valid_to > @now) ORDER BY id DESC LIMIT 200"
            : $"SELECT {Columns} FROM coupon_templates ORDER BY id DESC LIMIT 500";
        return [.. (await c.QueryAsync<CouponTemplateRow>(new CommandDefinition(sql, new { now }, cancellationToken: ct))).Select(r => r.ToDto())];
    }

    /// <summary>The new template's id, or null when its redeem code is taken.</summary>
    public async Task<long?> CreateAsync(CouponTemplateRequest r, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        try
        {
            return await c.ExecuteScalarAsync<long>(new CommandDefinition(InsertSql, Args(r, 0), cancellationToken: ct));
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return null;
        }
    }

    /// <summary>True when updated; false when missing, the stock is below what was issued, or the code is taken.</summary>
    public async Task<bool> UpdateAsync(long id, CouponTemplateRequest r, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        try
        {
            return await c.ExecuteAsync(new CommandDefinition(UpdateSql, Args(r, id), cancellationToken: ct)) == 1;
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return false;
        }
    }

    DynamicParameters Args(CouponTemplateRequest r, long id)
    {
        var p = new DynamicParameters(new
        {
            r.Title, Description = r.Description ?? "", Terms = r.Terms ?? "", r.Kind, r.AmountOffFen, r.PercentOff, r.MaxDiscountFen,
            r.ThresholdFen, Scope = r.Scope ?? "all", ScopeIds = JsonSerializer.Serialize(r.ScopeIds ?? []),
            ExcludedProductIds = JsonSerializer.Serialize(r.ExcludedProductIds ?? []), r.ValidFrom, r.ValidTo, r.ValidDays, r.TotalStock,
            r.PerMemberLimit, Audience = r.Audience ?? "all", AudienceTiers = JsonSerializer.Serialize(r.AudienceTiers ?? []),
            r.CombinableWithTier, r.Claimable, r.RedeemCode, r.GiftOnPaidFromFen, r.Active,
        });
        p.Add("now", clock.GetUtcNow().UtcDateTime);
        p.Add("id", id);
        return p;
    }
}
