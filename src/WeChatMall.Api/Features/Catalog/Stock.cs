using System.Data.Common;
using Dapper;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>
/// The only place SKU stock is taken or returned (orders, cancellations, late payments, refunds, admin adjustments),
/// in the caller's transaction. Taking is one conditional UPDATE, so stock never goes below zero, however many orders
/// race. Callers with several SKUs go in SKU id order so two writers never deadlock on each other.
/// Product sales counters move with stock, so they live here too.
/// </summary>
public static class Stock
{
    /// <summary>Takes <paramref name="quantity"/> if that much is there; false (nothing taken) otherwise.</summary>
    public static async Task<bool> TakeAsync(DbConnection c, DbTransaction tx, long skuId, int quantity, DateTime now, CancellationToken ct)
        => await c.ExecuteAsync(new CommandDefinition(
            "UPDATE catalog_skus SET stock = stock - @quantity, updated_at = @now WHERE id = @skuId AND stock >= @quantity",
            new { skuId, quantity, now }, tx, cancellationToken: ct)) == 1;

    /// <summary>Gives <paramref name="quantity"/> back; a SKU deleted since is skipped (false).</summary>
    public static async Task<bool> ReturnAsync(DbConnection c, DbTransaction tx, long skuId, int quantity, DateTime now, CancellationToken ct)
        => await c.ExecuteAsync(new CommandDefinition(
            "UPDATE catalog_skus SET stock = stock + @quantity, updated_at = @now WHERE id = @skuId",
            new { skuId, quantity, now }, tx, cancellationToken: ct)) == 1;

    /// <summary>An operator's correction by <paramref name="delta"/> (negative removes); false when the SKU is missing or stock is short.</summary>
    public static async Task<bool> AdjustAsync(DbConnection c, DbTransaction tx, long skuId, int delta, DateTime now, CancellationToken ct)
        => await c.ExecuteAsync(new CommandDefinition(
            "UPDATE catalog_skus SET stock = stock + @delta, updated_at = @now WHERE id = @skuId AND stock + @delta >= 0",
            new { skuId, delta, now }, tx, cancellationToken: ct)) == 1;

    /// <summary>Moves a product's sales counter by <paramref name="delta"/> (never below zero).</summary>
    public static Task AddSalesAsync(DbConnection c, DbTransaction tx, long productId, int delta, CancellationToken ct)
        => c.ExecuteAsync(new CommandDefinition(
            "UPDATE catalog_products SET sales = GREATEST(sales + @delta, 0) WHERE id = @productId",
            new { productId, delta }, tx, cancellationToken: ct));
}
