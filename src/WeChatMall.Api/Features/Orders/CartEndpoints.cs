using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Loyalty;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Orders;

public sealed record CartAddRequest(long SkuId, int Quantity);
public sealed record CartSetRequest(int Quantity);

/// <summary>
/// One cart line. PriceFen is the current list price from MariaDB, TierPriceFen what the member's tier discount makes
/// of it (the order applies the discount to the total, so a few fen of rounding may differ). Available: on the shelf
/// with enough stock for Quantity.
/// </summary>
public sealed record CartLineDto(long SkuId, long ProductId, string Title, System.Text.Json.JsonElement Spec, string? ImageUrl,
    long PriceFen, long TierPriceFen, int Quantity, int Stock, bool OnShelf, bool Available);

public sealed record CartDto(IReadOnlyList<CartLineDto> Lines, long TotalFen, long TierTotalFen, int MaxLines, int MaxQuantity);

/// <summary>The member's cart: /api/cart. Limits: Orders:MaxLines SKUs, Orders:MaxQuantity units per SKU.</summary>
public static class CartEndpoints
{
    public static IEndpointRouteBuilder MapCart(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/cart").WithTags("Cart").RequireAuthorization(MemberAuth.Policy);
        g.MapGet("/", GetCart).WithName(nameof(GetCart));
        g.MapPost("/items", AddToCart).WithName(nameof(AddToCart));
        g.MapPut("/items/{skuId:long}", SetCartQuantity).WithName(nameof(SetCartQuantity));
        g.MapDelete("/items/{skuId:long}", RemoveFromCart).WithName(nameof(RemoveFromCart));
        return app;
    }

    sealed record LineRow(long SkuId, long ProductId, string Title, string Spec, string Images, long PriceFen, int Quantity, int Stock, bool OnShelf);

    const string ListSql = """
        SELECT c.sku_id, s.product_id, p.title, s.spec, p.images, s.price_fen, c.quantity, s.stock, p.on_shelf
        FROM cart_items c JOIN catalog_skus s ON s.id = c.sku_id JOIN catalog_products p ON p.id = s.product_id
        WHERE c.member_id = @memberId ORDER BY c.created_at DESC, c.sku_id
        """;

    const string SkuSql = "SELECT p.on_shelf FROM catalog_skus s JOIN catalog_products p ON p.id = s.product_id WHERE s.id = @skuId";

    // Serializes one member's cart changes (the line-count limit is checked, then written).
    const string LockMemberSql = "SELECT id FROM members WHERE id = @memberId FOR UPDATE";
    const string LinesCountSql = "SELECT COUNT(*) FROM cart_items WHERE member_id = @memberId";
    const string CurrentSql = "SELECT quantity FROM cart_items WHERE member_id = @memberId AND sku_id = @skuId";

    const string UpsertSql = """
        INSERT INTO cart_items (member_id, sku_id, quantity, created_at, updated_at) VALUES (@memberId, @skuId, @quantity, @now, @now)
        ON DUPLICATE KEY UPDATE quantity = @quantity, updated_at = @now
        """;

    const string SetSql = "UPDATE cart_items SET quantity = @quantity, updated_at = @now WHERE member_id = @memberId AND sku_id = @skuId";
    const string DeleteSql = "DELETE FROM cart_items WHERE member_id = @memberId AND sku_id = @skuId";

    static async Task<Ok<CartDto>> GetCart(CurrentMember me, MySqlDataSource db, ILoyalty loyalty, IOptions<OrderOptions> options, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var benefits = await loyalty.GetBenefitsAsync(c, null, me.Id, ct);
        var rows = await c.QueryAsync<LineRow>(new CommandDefinition(ListSql, new { memberId = me.Id }, cancellationToken: ct));
        var lines = rows.Select(r => new CartLineDto(r.SkuId, r.ProductId, r.Title, Json(r.Spec), FirstImage(r.Images), r.PriceFen,
            r.PriceFen - benefits.DiscountOn(r.PriceFen), r.Quantity, r.Stock, r.OnShelf, r.OnShelf && r.Stock >= r.Quantity)).ToList();
        var total = lines.Where(l => l.Available).Sum(l => l.PriceFen * l.Quantity);
        return TypedResults.Ok(new CartDto(lines, total, total - benefits.DiscountOn(total), options.Value.MaxLines, options.Value.MaxQuantity));
    }

    /// <summary>Adds units of a SKU (to the line already there, if any).</summary>
    static async Task<Results<Ok<CartDto>, ValidationProblem, ProblemHttpResult>> AddToCart(CartAddRequest request, CurrentMember me,
        MySqlDataSource db, ILoyalty loyalty, IOptions<OrderOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var o = options.Value;
        if (request.Quantity < 1 || request.Quantity > o.MaxQuantity)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["quantity"] = [$"quantity is 1 to {o.MaxQuantity}."] });
        var memberId = me.Id;
        await using (var c = await db.OpenConnectionAsync(ct))
        await using (var tx = await c.BeginTransactionAsync(ct))
        {
            var onShelf = await c.ExecuteScalarAsync<bool?>(new CommandDefinition(SkuSql, new { request.SkuId }, tx, cancellationToken: ct));
            if (onShelf is null) return Problems.NotFound("SKU_NOT_FOUND", $"SKU {request.SkuId} does not exist");
            if (onShelf == false) return Problems.Unprocessable("SKU_OFF_SHELF", $"SKU {request.SkuId} is not on sale");
            await c.ExecuteScalarAsync<long>(new CommandDefinition(LockMemberSql, new { memberId }, tx, cancellationToken: ct));
            var current = await c.ExecuteScalarAsync<int?>(new CommandDefinition(CurrentSql, new { memberId, request.SkuId }, tx, cancellationToken: ct));
            if (current is null && await c.ExecuteScalarAsync<int>(new CommandDefinition(LinesCountSql, new { memberId }, tx, cancellationToken: ct)) >= o.MaxLines)
                return Problems.Unprocessable("CART_FULL", $"The cart holds at most {o.MaxLines} different SKUs");
            var quantity = (current ?? 0) + request.Quantity;
            if (quantity > o.MaxQuantity)
                return Problems.Unprocessable("QUANTITY_LIMIT", $"At most {o.MaxQuantity} units of one SKU", $"The cart already has {current}.");
            await c.ExecuteAsync(new CommandDefinition(UpsertSql, new { memberId, request.SkuId, quantity, now = clock.GetUtcNow().UtcDateTime }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
        return await GetCart(me, db, loyalty, options, ct);
    }

    static async Task<Results<Ok<CartDto>, ValidationProblem, ProblemHttpResult>> SetCartQuantity(long skuId, CartSetRequest request,
        CurrentMember me, MySqlDataSource db, ILoyalty loyalty, IOptions<OrderOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (request.Quantity < 1 || request.Quantity > options.Value.MaxQuantity)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["quantity"] = [$"quantity is 1 to {options.Value.MaxQuantity} (DELETE removes the line)."] });
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            var changed = await c.ExecuteAsync(new CommandDefinition(SetSql,
                new { memberId = me.Id, skuId, request.Quantity, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
            if (changed == 0) return Problems.NotFound("CART_LINE_NOT_FOUND", $"SKU {skuId} is not in the cart");
        }
        return await GetCart(me, db, loyalty, options, ct);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> RemoveFromCart(long skuId, CurrentMember me, MySqlDataSource db, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(DeleteSql, new { memberId = me.Id, skuId }, cancellationToken: ct)) > 0
            ? TypedResults.NoContent() : Problems.NotFound("CART_LINE_NOT_FOUND", $"SKU {skuId} is not in the cart");
    }

    static System.Text.Json.JsonElement Json(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();

    static string? FirstImage(string images)
    {
        var e = Json(images);
        return e.ValueKind == System.Text.Json.JsonValueKind.Array && e.GetArrayLength() > 0 ? e[0].GetString() : null;
    }
}
