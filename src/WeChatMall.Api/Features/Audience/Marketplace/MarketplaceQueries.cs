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

    const string ImportSql = """
        SELECT id, platform, data_rows, imported, matched, prospects, new_prospects, unclaimed, duplicates, rejected, rejections, created_at
        FROM marketplace_imports WHERE id = @id
        """;

    public async Task<MarketplaceImportReport?> ImportAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var r = await c.QuerySingleOrDefaultAsync<ImportRow>(new CommandDefinition(ImportSql, new { id }, cancellationToken: ct));
        return r is null ? null : new MarketplaceImportReport(r.Id, r.Platform, r.DataRows, r.Imported, r.Matched, r.Prospects, r.NewProspects,
            r.Unclaimed, r.Duplicates, r.Rejected, JsonSerializer.Deserialize<List<RejectedRow>>(r.Rejections, JsonSerializerOptions.Web) ?? [], r.CreatedAt);
    }

    const string ImportsSql = """
        SELECT id AS ImportId, platform, file_name, data_rows AS `Rows`, imported, matched, prospects, new_prospects, unclaimed, duplicates,
               rejected, created_at
        FROM marketplace_imports ORDER BY id DESC LIMIT @take OFFSET @skip
        """;

    /// <summary>Past imports, newest first (the rejected rows themselves are in each import's report).</summary>
    public async Task<IReadOnlyList<MarketplaceImportSummaryDto>> ImportsAsync(int page, int pageSize, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<MarketplaceImportSummaryDto>(new CommandDefinition(ImportsSql,
            new { take = pageSize, skip = (page - 1) * pageSize }, cancellationToken: ct))];
    }

    sealed record ImportRow
    {
        public long Id { get; init; }
        public string Platform { get; init; } = "";
        public int DataRows { get; init; }
        public int Imported { get; init; }
        public int Matched { get; init; }
        public int Prospects { get; init; }
        public int NewProspects { get; init; }
        public int Unclaimed { get; init; }
        public int Duplicates { get; init; }
        public int Rejected { get; init; }
        public string Rejections { get; init; } = "[]";
        public DateTime CreatedAt { get; init; }
    }
}
