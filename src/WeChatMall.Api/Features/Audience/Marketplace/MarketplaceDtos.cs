namespace WeChatMall.Api.Features.Audience.Marketplace;

/// <summary>
/// What an import did. Rows: data rows read. Imported: new orders stored = Matched + Prospects + Unclaimed.
/// Matched: the full phone belongs to a member with a WeChat identity. Prospects: held by (or created as, NewProspects)
/// a prospect. Unclaimed: masked phone, waiting for the shopper's claim. Duplicates: already imported (or repeated
/// item rows of an order already read from this file). Rejected: see Rejections (row = line in the file).
/// </summary>
public sealed record MarketplaceImportReport(long ImportId, string Platform, int Rows, int Imported, int Matched, int Prospects,
    int NewProspects, int Unclaimed, int Duplicates, int Rejected, IReadOnlyList<RejectedRow> Rejections, DateTime CreatedAt);

/// <summary>One past import in the list (the counts of <see cref="MarketplaceImportReport"/>, without the rejected rows).</summary>
public sealed record MarketplaceImportSummaryDto
{
    public long ImportId { get; init; }
    public string Platform { get; init; } = "";
    public string? FileName { get; init; }
    public int Rows { get; init; }
    public int Imported { get; init; }
    public int Matched { get; init; }
    public int Prospects { get; init; }
    public int NewProspects { get; init; }
    public int Unclaimed { get; init; }
    public int Duplicates { get; init; }
    public int Rejected { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>An imported order as the shopper sees it in their history.</summary>
public sealed record MyMarketplaceOrderDto(string Platform, string OrderNo, string? Items, long AmountFen, DateTime PaidAt,
    string Link, DateTime? ClaimedAt, bool CountedForLoyalty);

/// <summary>An imported order as the merchant sees it.</summary>
public sealed record MarketplaceOrderDto(long Id, string Platform, string OrderNo, string? BuyerNick, string? ReceiverName,
    string? PhoneMasked, string? Items, long AmountFen, DateTime PaidAt, long? MemberId, string Link, DateTime? ClaimedAt, long ImportId);

public sealed record MarketplaceClaimedDto(string Platform, string OrderNo, long AmountFen, DateTime PaidAt, bool CountedForLoyalty);
