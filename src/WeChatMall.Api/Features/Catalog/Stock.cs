using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>
/// The only place SKU stock is taken or returned (orders, cancellations, late payments, refunds, admin adjustments),
/// in the caller's transaction. Taking is one conditional UPDATE (for an order, one the table's CHECK (stock >= 0)
/// refuses), so stock never goes below zero, however many orders race. Callers with several SKUs go in SKU id order
/// so two writers never deadlock on each other. Product sales counters move with stock, so they live here too.
/// </summary>
public static class Stock
{
    /// <summary>Takes <paramref name="quantity"/> if that much is there; false (nothing taken) otherwise.</summary>
    public static async Task<bool> TakeAsync(DbConnection c, DbTransaction tx, long skuId, int quantity, DateTime now, CancellationToken ct)
        => await c.ExecuteAsync(new CommandDefinition(
            "UPDATE catalog_skus SET stock = stock - @quantity, updated_at = @now WHERE id = @skuId AND stock >= @quantity",
            new { skuId, quantity, now }, tx, cancellationToken: ct)) == 1;

    /// <summary>One SKU's units in an order being placed, and the product whose sales counter they move.</summary>
    public sealed record OrderLineTake(long SkuId, long ProductId, int Quantity);

    /// <summary>
    /// The last step of placing an order: every SKU's units taken (in SKU id order), the products' sales counters moved
    /// and the caller's transaction committed, in one round trip. Returns null when it committed; otherwise the first SKU
    /// without enough stock, with nothing committed (the caller rolls back).
    /// </summary>
    /// <remarks>
    /// A flash sale's orders queue for the same SKU and product rows, each holding them from the moment it takes them
    /// to its commit. Sent together, the hold lasts the server's own work instead of a round trip to the app and back,
    /// which under load is what made 50 orders take half a second (docs/flash-sale.md#mysql-the-orders-of-a-sale).
    /// A short SKU fails the table's <c>CHECK (stock >= 0)</c>, and the server runs none of a batch's statements after
    /// an error, so the COMMIT only runs when every SKU had enough. A SKU deleted by an operator between the order's
    /// read and this step matches no row: the order goes through as if it had come just before the delete (its lines
    /// keep their own title, spec and price, as for any SKU deleted later).
    /// </remarks>
    public static async Task<long?> TakeAndCommitAsync(DbConnection c, DbTransaction tx, IReadOnlyList<OrderLineTake> lines, DateTime now,
        CancellationToken ct)
    {
        var skus = lines.OrderBy(l => l.SkuId).ToList();
        var products = skus.GroupBy(l => l.ProductId).OrderBy(g => g.Key).ToList();
        await using var command = c.CreateCommand();
        command.Transaction = tx;
        var sql = new StringBuilder();
        Add(command, "now", now);
        for (var i = 0; i < skus.Count; i++)
        {
            // "SELECT i" after each SKU: reading it tells that SKU was taken, so a failure names the next one.
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE catalog_skus SET stock = stock - @q{i}, updated_at = @now WHERE id = @s{i}; SELECT {i};\n");
            Add(command, $"q{i}", skus[i].Quantity);
            Add(command, $"s{i}", skus[i].SkuId);
        }
        for (var i = 0; i < products.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE catalog_products SET sales = GREATEST(sales + @d{i}, 0) WHERE id = @p{i};\n");
            Add(command, $"d{i}", products[i].Sum(l => l.Quantity));
            Add(command, $"p{i}", products[i].Key);
        }
        sql.Append("COMMIT;");
        command.CommandText = sql.ToString();

        var taken = 0;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            for (taken = 1; taken < skus.Count && await reader.NextResultAsync(ct); taken++) { }
            while (await reader.NextResultAsync(ct)) { } // the sales counters and the COMMIT
            return null;
        }
        catch (MySqlException ex) when (ex.Number is CheckFailedMariaDb or CheckFailedMySql && taken < skus.Count)
        {
            return skus[taken].SkuId;
        }
    }

    const int CheckFailedMariaDb = 4025, CheckFailedMySql = 3819;

    static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

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
