using System.ComponentModel.DataAnnotations;
using Dapper;
using MySqlConnector;
using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Database;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Offers;

/// <summary>Kind coupon (CouponTemplateId; its stock is the template's) or product (SkuId; its stock is the SKU's).</summary>
public sealed record MallItemRequest([property: Required, StringLength(64, MinimumLength = 1)] string Title, [property: Required] string Kind,
    long? CouponTemplateId, long? SkuId, [property: Range(1, 100_000_000)] long PointsPrice, [property: Range(1, 100)] int PerMemberLimit, bool Active);

/// <summary>What an operator may change of a mall item: not its kind nor what it gives (exchanges already made point at it).</summary>
public sealed record MallItemUpdate([property: Required, StringLength(64, MinimumLength = 1)] string Title,
    [property: Range(1, 100_000_000)] long PointsPrice, [property: Range(1, 100)] int PerMemberLimit, bool Active);

public sealed record MallItemDto(long Id, string Title, string Kind, long? CouponTemplateId, long? SkuId, long PointsPrice, int PerMemberLimit, bool Active);

/// <summary>An item as the operator's list shows it: what is left of its stock (null = unlimited) and the product it gives.</summary>
public sealed record MallItemListDto(long Id, string Title, string Kind, long? CouponTemplateId, long? SkuId, long PointsPrice, int PerMemberLimit,
    bool Active, long? StockLeft, string? ProductTitle);

public sealed record MallExchangeDto(long Id, long ItemId, long MemberId, long Points, long? MemberCouponId, long? SkuId, string? Address,
    string Status, DateTime CreatedAt);

public sealed record ExchangeRequest(long? AddressId);

public abstract record ExchangeOutcome
{
    public sealed record Done(MallExchangeDto Exchange) : ExchangeOutcome;
    public sealed record Refused(Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Problem) : ExchangeOutcome;
}

/// <summary>
/// Points for a coupon or a product, in one transaction: the member row is locked first (as every points post does),
/// so the per-member count that follows is exact and the unique key (item, member, seq) backs it up; the points go
/// through the ledger (lots, expiry and merges keep working), the coupon through <see cref="CouponIssuer"/>, and a
/// product's unit through Catalog's Stock (never oversold). A product exchange waits to be shipped (status to_ship).
/// </summary>
public sealed class PointsMall(MySqlDataSource db, TimeProvider clock)
{
    sealed class Refusal(Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem) : Exception
    {
        public Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Problem { get; } = problem;
    }

    const string ItemColumns = "id, title, kind, coupon_template_id, sku_id, points_price, per_member_limit, active";

    public async Task<IReadOnlyList<MallItemDto>> ItemsAsync(bool activeOnly, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<MallItemDto>(new CommandDefinition(
            $"SELECT {ItemColumns} FROM mall_items WHERE (@activeOnly = FALSE OR active) ORDER BY id DESC LIMIT 500", new { activeOnly }, cancellationToken: ct))];
    }

    /// <summary>Every item with its stock left: the coupon template's (total − issued) or the SKU's.</summary>
    public async Task<IReadOnlyList<MallItemListDto>> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<MallItemListDto>(new CommandDefinition("""
            SELECT i.id, i.title, i.kind, i.coupon_template_id, i.sku_id, i.points_price, i.per_member_limit, i.active,
                   CASE WHEN i.kind = 'product' THEN s.stock + 0 WHEN t.total_stock IS NULL THEN NULL ELSE GREATEST(t.total_stock - t.issued, 0) END AS stock_left,
                   p.title AS product_title
            FROM mall_items i
            LEFT JOIN coupon_templates t ON t.id = i.coupon_template_id
            LEFT JOIN catalog_skus s ON s.id = i.sku_id
            LEFT JOIN catalog_products p ON p.id = s.product_id
            ORDER BY i.id DESC LIMIT 500
            """, cancellationToken: ct))];
    }

    public async Task<long> CreateAsync(MallItemRequest r, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mall_items (title, kind, coupon_template_id, sku_id, points_price, per_member_limit, active, created_at, updated_at)
            VALUES (@Title, @Kind, @CouponTemplateId, @SkuId, @PointsPrice, @PerMemberLimit, @Active, @now, @now); SELECT LAST_INSERT_ID();
            """, new { r.Title, r.Kind, r.CouponTemplateId, r.SkuId, r.PointsPrice, r.PerMemberLimit, r.Active, now }, cancellationToken: ct));
    }

    /// <summary>Changes an item's title, points price, per-member limit and whether it is offered; what it gives stays. False when there is none.</summary>
    public async Task<bool> UpdateAsync(long id, MallItemUpdate r, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition("""
            UPDATE mall_items SET title = @Title, points_price = @PointsPrice, per_member_limit = @PerMemberLimit, active = @Active, updated_at = @now
            WHERE id = @id
            """, new { id, r.Title, r.PointsPrice, r.PerMemberLimit, r.Active, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct)) == 1;
    }

    public async Task<IReadOnlyList<MallExchangeDto>> ExchangesAsync(long? memberId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<MallExchangeDto>(new CommandDefinition("""
            SELECT id, item_id, member_id, points, member_coupon_id, sku_id, address, status, created_at FROM mall_exchanges
            WHERE (@memberId IS NULL OR member_id = @memberId) ORDER BY id DESC LIMIT 500
            """, new { memberId }, cancellationToken: ct))];
    }

    public async Task<ExchangeOutcome> ExchangeAsync(long memberId, long itemId, long? addressId, CancellationToken ct)
    {
        try
        {
            return await LockConflictRetry.RunAsync(() => TryExchangeAsync(memberId, itemId, addressId, ct), ct);
        }
        catch (Refusal r)
        {
            return new ExchangeOutcome.Refused(r.Problem);
        }
    }

    async Task<ExchangeOutcome> TryExchangeAsync(long memberId, long itemId, long? addressId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var item = await c.QuerySingleOrDefaultAsync<MallItemDto>(new CommandDefinition(
            $"SELECT {ItemColumns} FROM mall_items WHERE id = @itemId AND active", new { itemId }, tx, cancellationToken: ct))
            ?? throw new Refusal(Problems.NotFound("MALL_ITEM_NOT_FOUND", "No such item in the points mall"));
        if (item.Kind == "product" && addressId is null)
            throw new Refusal(Problems.Unprocessable("ADDRESS_NOT_FOUND", "A product needs a shipping address", "Give addressId."));

        await c.ExecuteAsync(new CommandDefinition("SELECT id FROM members WHERE id = @memberId FOR UPDATE", new { memberId }, tx, cancellationToken: ct));
        var seq = await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COALESCE(MAX(seq), 0) FROM mall_exchanges WHERE item_id = @itemId AND member_id = @memberId", new { itemId, memberId }, tx, cancellationToken: ct)) + 1;
        if (seq > item.PerMemberLimit)
            throw new Refusal(Problems.Conflict("MALL_LIMIT_REACHED", $"At most {item.PerMemberLimit} of this item per member"));
        if (await PointsLedger.PostAsync(c, tx, memberId, -item.PointsPrice, "Points mall", item.Title, $"mall:{itemId}:{memberId}:{seq}", now, ct) is not PointsPosted)
            throw new Refusal(Problems.Conflict("INSUFFICIENT_POINTS", "Not enough points", $"This item costs {item.PointsPrice} points."));

        long? couponId = null;
        string? address = null;
        if (item.Kind == "coupon")
        {
            var issued = await CouponIssuer.IssueAsync(c, tx, item.CouponTemplateId!.Value, memberId, "points_mall", $"mall:{itemId}", now, ct);
            couponId = issued is IssueResult.Issued i ? i.MemberCouponId : throw new Refusal(((IssueResult.Refused)issued).Problem);
        }
        else
        {
            address = await c.ExecuteScalarAsync<string?>(new CommandDefinition("""
                SELECT JSON_OBJECT('recipient', recipient, 'phone', phone, 'province', province, 'city', city, 'district', district, 'detail', detail)
                FROM member_addresses WHERE id = @addressId AND member_id = @memberId
                """, new { addressId, memberId }, tx, cancellationToken: ct))
                ?? throw new Refusal(Problems.Unprocessable("ADDRESS_NOT_FOUND", "No such shipping address"));
            if (!await Stock.TakeAsync(c, tx, item.SkuId!.Value, 1, now, ct))
                throw new Refusal(Problems.Conflict("OUT_OF_STOCK", "Not enough stock"));
        }
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mall_exchanges (item_id, member_id, seq, points, member_coupon_id, sku_id, address, status, created_at)
            VALUES (@itemId, @memberId, @seq, @points, @couponId, @skuId, @address, @status, @now); SELECT LAST_INSERT_ID();
            """, new { itemId, memberId, seq, points = item.PointsPrice, couponId, skuId = item.SkuId, address, status = item.Kind == "coupon" ? "done" : "to_ship", now },
            tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new ExchangeOutcome.Done(new MallExchangeDto(id, itemId, memberId, item.PointsPrice, couponId, item.SkuId, address,
            item.Kind == "coupon" ? "done" : "to_ship", now));
    }
}
