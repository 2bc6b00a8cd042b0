using System.Data.Common;
using Dapper;

namespace WeChatMall.Api.Features.Orders;

/// <summary>
/// What <see cref="OrderPlacer"/> reads at the start of its transaction, in one round trip: the member row locked first
/// (<see cref="PurchaseLimits.LockMemberSql"/>, with the member's tier), then the address, the chosen cart lines (locked,
/// for an order from the cart), the SKUs, and what the purchase limits count. The server runs a batch's statements one
/// after the other, so every read after the lock sees what this member's earlier placements committed, exactly as when
/// each was its own round trip; only the waiting between them is gone (docs/flash-sale.md#mysql-the-orders-of-a-sale).
/// </summary>
public sealed record PlacementReads(string? TierCode, PlacementReads.Address? ShipTo, IReadOnlyDictionary<long, int>? Cart,
    IReadOnlyList<PlacementReads.Sku> Skus, long OpenUnpaid, IReadOnlyList<PurchaseLimits.SkuLimit> Limits)
{
    public sealed record Address(string Recipient, string Phone, string Province, string City, string District, string Detail, string? PostalCode);

    public sealed record Sku(long Id, long ProductId, long CategoryId, bool FlashSale, long PriceFen, int Stock, string Spec, string Title,
        string Images, bool OnShelf);

    const string AddressSql = """
        SELECT recipient, phone, province, city, district, detail, postal_code FROM member_addresses
        WHERE id = @addressId AND member_id = @memberId
        """;

    const string CartSql = "SELECT sku_id, quantity FROM cart_items WHERE member_id = @memberId AND sku_id IN @skuIds FOR UPDATE";

    const string SkusSql = """
        SELECT s.id, s.product_id, p.category_id, p.flash_sale, s.price_fen, s.stock, s.spec, p.title, p.images, p.on_shelf
        FROM catalog_skus s JOIN catalog_products p ON p.id = s.product_id
        WHERE s.id IN @skuIds ORDER BY s.id
        """;

    // An order from the cart reads (and locks) its cart lines between the address and the SKUs; the rest is the same.
    const string LockAndAddressSql = PurchaseLimits.LockMemberSql + ";\n" + AddressSql + ";\n";
    const string SkusAndLimitsSql = SkusSql + ";\n" + PurchaseLimits.OpenUnpaidSql + ";\n" + PurchaseLimits.LimitsSql;
    const string Sql = LockAndAddressSql + SkusAndLimitsSql;
    const string CartOrderSql = LockAndAddressSql + CartSql + ";\n" + SkusAndLimitsSql;

    /// <summary>
    /// The reads for an order of <paramref name="skuIds"/>: the request's lines, or its chosen cart SKUs when
    /// <paramref name="fromCart"/> (then <see cref="Cart"/> holds those found in the cart, with their quantities).
    /// </summary>
    public static async Task<PlacementReads> ReadAsync(DbConnection c, DbTransaction tx, long memberId, long addressId,
        IReadOnlyCollection<long> skuIds, bool fromCart, DateTime now, CancellationToken ct)
    {
        await using var grid = await c.QueryMultipleAsync(new CommandDefinition(fromCart ? CartOrderSql : Sql,
            new { memberId, addressId, skuIds, now }, tx, cancellationToken: ct));
        var tier = await grid.ReadSingleOrDefaultAsync<string?>();
        var address = await grid.ReadSingleOrDefaultAsync<Address>();
        var cart = fromCart ? (await grid.ReadAsync<(long SkuId, int Quantity)>()).ToDictionary(r => r.SkuId, r => r.Quantity) : null;
        var skus = (await grid.ReadAsync<Sku>()).ToList();
        var openUnpaid = await grid.ReadSingleAsync<long>();
        var limits = (await grid.ReadAsync<PurchaseLimits.SkuLimit>()).ToList();
        return new PlacementReads(tier, address, cart, skus, openUnpaid, limits);
    }
}
