using System.Text.Json;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Audience.Marketplace;

/// <summary>Reads of imported orders: a shopper's own, the merchant's lists and import reports.</summary>
public sealed class MarketplaceQueries(MySqlDataSource db)
{
    const string MineSql = """
        SELECT platform, order_no, items, amount_fen, paid_at, link, claimed_at, loyalty_at
        FROM marketplace_orders WHERE member_id = @memberId ORDER BY paid_at DESC, id DESC LIMIT 200
        """;

    public async Task<IReadOnlyList<MyMarketplaceOrderDto>> MineAsync(long memberId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string Platform, string OrderNo, string? Items, long AmountFen, DateTime PaidAt, string Link, DateTime? ClaimedAt,
            DateTime? LoyaltyAt)>(new CommandDefinition(MineSql, new { memberId }, cancellationToken: ct));
        return [.. rows.Select(r => new MyMarketplaceOrderDto(r.Platform, r.OrderNo, r.Items, r.AmountFen, r.PaidAt, r.Link, r.ClaimedAt, r.LoyaltyAt is not null))];
    }

    const string ListSql = """
        SELECT id, platform, order_no, buyer_nick, receiver_name, phone_masked, items, amount_fen, paid_at, member_id, link, claimed_at, import_id
        FROM marketplace_orders
        WHERE (@link IS NULL OR link = @link) AND (@importId IS NULL OR import_id = @importId)
        ORDER BY id DESC LIMIT @take OFFSET @skip
        """;

    public async Task<IReadOnlyList<MarketplaceOrderDto>> ListAsync(string? link, long? importId, int page, int pageSize, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<MarketplaceOrderDto>(new CommandDefinition(ListSql,
            new { link, importId, take = pageSize, skip = (long)(page - 1) * pageSize }, cancellationToken: ct))];
    }

    const string SelectSummary = """
        SELECT id AS ImportId, platform, file_name, data_rows AS `Rows`, imported, matched, prospects, new_prospects, unclaimed, duplicates,
               rejected, created_at
        """;

    public async Task<MarketplaceImportReport?> ImportAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var found = (await c.QueryAsync<MarketplaceImportSummaryDto, string, (MarketplaceImportSummaryDto Summary, string Rejections)>(
            new CommandDefinition(SelectSummary + ", rejections FROM marketplace_imports WHERE id = @id", new { id }, cancellationToken: ct),
            (summary, rejections) => (summary, rejections), splitOn: "rejections")).SingleOrDefault();
        if (found.Summary is not { } r) return null;
        return new MarketplaceImportReport(r.ImportId, r.Platform, r.Rows, r.Imported, r.Matched, r.Prospects, r.NewProspects, r.Unclaimed,
            r.Duplicates, r.Rejected, JsonSerializer.Deserialize<List<RejectedRow>>(found.Rejections, JsonSerializerOptions.Web) ?? [], r.CreatedAt);
    }

    const string ImportsSql = SelectSummary + " FROM marketplace_imports ORDER BY id DESC LIMIT @take OFFSET @skip";

    /// <summary>Past imports, newest first (the rejected rows themselves are in each import's report).</summary>
    public async Task<IReadOnlyList<MarketplaceImportSummaryDto>> ImportsAsync(int page, int pageSize, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<MarketplaceImportSummaryDto>(new CommandDefinition(ImportsSql,
            new { take = pageSize, skip = (page - 1) * pageSize }, cancellationToken: ct))];
    }
}
