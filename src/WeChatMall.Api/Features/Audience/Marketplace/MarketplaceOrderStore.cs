using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Loyalty;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Activity;
using WeChatMall.Api.Infrastructure.Database;

namespace WeChatMall.Api.Features.Audience.Marketplace;

/// <summary>
/// The only writer of marketplace_imports and marketplace_orders. Phones are matched through the Members feature
/// (<see cref="MemberQueries.PhoneHolderAsync"/>, <see cref="MemberStore.CreateProspectAsync"/>); loyalty effects go
/// through <see cref="ILoyalty"/> inside the row's transaction, keyed by the imported order, so they happen once.
/// </summary>
public sealed class MarketplaceOrderStore(MySqlDataSource db, MemberQueries memberQueries, MemberStore members, ILoyalty loyalty,
    IMemberActivity activity, IOptions<MarketplaceOptions> options)
{
    public const string Matched = "matched", Prospect = "prospect", Unclaimed = "unclaimed", Claimed = "claimed";

    const string ExistingSql = "SELECT order_no FROM marketplace_orders WHERE platform = @platform AND order_no IN @orderNos";

    const string InsertImportSql = """
        INSERT INTO marketplace_imports (platform, file_name, data_rows, imported, matched, prospects, new_prospects, unclaimed,
            duplicates, rejected, rejections, created_at)
        VALUES (@platform, @fileName, 0, 0, 0, 0, 0, 0, 0, 0, '[]', @now);
        SELECT LAST_INSERT_ID();
        """;

    const string InsertOrderSql = """
        INSERT IGNORE INTO marketplace_orders (platform, order_no, import_id, buyer_nick, receiver_name, phone_masked, phone_last4,
            items, amount_fen, paid_at, member_id, link, created_at, updated_at)
        VALUES (@platform, @OrderNo, @importId, @BuyerNick, @Receiver, @PhoneMasked, @PhoneLast4, @Items, @AmountFen, @PaidAt,
            @memberId, @link, @now, @now);
        SELECT IF(ROW_COUNT() = 1, LAST_INSERT_ID(), 0);
        """;

    const string FinishImportSql = """
        UPDATE marketplace_imports SET data_rows = @Rows, imported = @Imported, matched = @Matched, prospects = @Prospects,
            new_prospects = @NewProspects, unclaimed = @Unclaimed, duplicates = @Duplicates, rejected = @Rejected, rejections = @json
        WHERE id = @ImportId
        """;

    /// <summary>
    /// Stores the rows not imported before. Each row commits on its own (a prospect is created in the Members
    /// transaction first), so a second import of the same file, or one racing this one, finds every row a duplicate.
    /// </summary>
    public async Task<MarketplaceImportReport> ImportAsync(string platform, string? fileName, int dataRows, IReadOnlyList<MarketplaceRow> rows,
        List<RejectedRow> rejected, int duplicatesInFile, DateTime now, CancellationToken ct)
    {
        long importId;
        HashSet<string> existing = new(StringComparer.Ordinal);
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            importId = await c.ExecuteScalarAsync<long>(new CommandDefinition(InsertImportSql, new { platform, fileName, now }, cancellationToken: ct));
            foreach (var chunk in rows.Select(r => r.OrderNo).Chunk(1000))
                existing.UnionWith(await c.QueryAsync<string>(new CommandDefinition(ExistingSql, new { platform, orderNos = chunk }, cancellationToken: ct)));
        }
        int matched = 0, prospects = 0, newProspects = 0, unclaimed = 0, duplicates = duplicatesInFile;
        var customers = new SortedSet<long>();
        foreach (var row in rows)
        {
            if (existing.Contains(row.OrderNo)) { duplicates++; continue; }
            long? memberId = null;
            var link = Unclaimed;
            var created = false;
            if (row.Phone is { } phone)
            {
                if (await memberQueries.PhoneHolderAsync(phone, ct) is { } holder)
                    (memberId, link) = (holder.MemberId, holder.HasWeChatIdentity ? Matched : Prospect);
                else
                {
                    var (newId, holderId) = await members.CreateProspectAsync(phone, now, ct);
                    (memberId, link, created) = (newId ?? holderId, Prospect, newId is not null);
                }
            }
            if (!await InsertRowAsync(platform, importId, row, memberId, link, now, ct)) { duplicates++; continue; }
            if (memberId is { } customer) customers.Add(customer);
            switch (link)
            {
                case Matched: matched++; break;
                case Prospect: prospects++; if (created) newProspects++; break;
                default: unclaimed++; break;
            }
        }
        await RefreshCustomersAsync(customers, ct);
        var report = new MarketplaceImportReport(importId, platform, dataRows, matched + prospects + unclaimed, matched, prospects,
            newProspects, unclaimed, duplicates, rejected.Count, [.. rejected.OrderBy(r => r.Row)], now);
        await using (var c = await db.OpenConnectionAsync(ct))
            await c.ExecuteAsync(new CommandDefinition(FinishImportSql, new
            {
                report.Rows, report.Imported, report.Matched, report.Prospects, report.NewProspects, report.Unclaimed, report.Duplicates,
                report.Rejected, report.ImportId, json = JsonSerializer.Serialize(report.Rejections, JsonSerializerOptions.Web),
            }, cancellationToken: ct));
        return report;
    }

    // Once per import rather than per row: a crash in between leaves a few stats stale until the nightly rebuild.
    async Task RefreshCustomersAsync(IReadOnlyCollection<long> customers, CancellationToken ct)
    {
        foreach (var chunk in customers.Chunk(500))
            await LockConflictRetry.RunAsync(async () =>
            {
                await using var c = await db.OpenConnectionAsync(ct);
                await using var tx = await c.BeginTransactionAsync(ct);
                await activity.MembersChangedAsync(c, tx, chunk, ct);
                await tx.CommitAsync(ct);
            }, ct);
    }

    // False: the (platform, order number) was stored meanwhile by a concurrent import.
    async Task<bool> InsertRowAsync(string platform, long importId, MarketplaceRow row, long? memberId, string link, DateTime now, CancellationToken ct) =>
        await LockConflictRetry.RunAsync(async () =>
        {
            await using var c = await db.OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(InsertOrderSql,
                new
                {
                    platform, importId, row.OrderNo, row.BuyerNick, row.Receiver, row.PhoneMasked, row.PhoneLast4, row.Items, row.AmountFen,
                    row.PaidAt, memberId, link, now
                }, tx, cancellationToken: ct));
            if (id == 0) return false;
            if (link == Matched && memberId is { } m) await CountForLoyaltyAsync(c, tx, id, m, row.AmountFen, now, ct);
            await tx.CommitAsync(ct);
            return true;
        }, ct);

    async Task<bool> CountForLoyaltyAsync(DbConnection c, DbTransaction tx, long id, long memberId, long amountFen, DateTime now, CancellationToken ct)
    {
        if (!options.Value.CountTowardLoyalty || amountFen <= 0) return false;
        // Earned now (not at the marketplace payment time), so the points' expiry starts when they are given.
        await loyalty.OnOrderPaidAsync(c, tx, new PaidOrder(id, LoyaltyOrderNo(id), memberId, amountFen, [], now), ct);
        await c.ExecuteAsync(new CommandDefinition("UPDATE marketplace_orders SET loyalty_at = @now WHERE id = @id", new { now, id }, tx, cancellationToken: ct));
        return true;
    }

    /// <summary>The order number loyalty keys its effects by ("paid:mkt-42"): never one of our own (those are digits only).</summary>
    public static string LoyaltyOrderNo(long id) => "mkt-" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public abstract record ClaimOutcome;
    public sealed record NotFound : ClaimOutcome;
    public sealed record Ambiguous : ClaimOutcome;
    public sealed record AlreadyYours : ClaimOutcome;
    public sealed record ClaimedByOther : ClaimOutcome;
    public sealed record ClaimSucceeded(MarketplaceClaimedDto Order) : ClaimOutcome;

    const string FindForClaimSql = """
        SELECT id, platform, order_no, phone_last4, amount_fen, paid_at, member_id
        FROM marketplace_orders WHERE order_no = @orderNo AND (@platform IS NULL OR platform = @platform)
        FOR UPDATE
        """;

    const string ClaimSql = """
        UPDATE marketplace_orders SET member_id = @memberId, link = 'claimed', claimed_at = @now, updated_at = @now
        WHERE id = @id AND member_id IS NULL
        """;

    /// <summary>
    /// The shopper's claim: the order number and the last four digits of the phone it was sent to. The row lock makes
    /// concurrent claims queue; the conditional UPDATE lets exactly one of them take the order (and its loyalty effect).
    /// A wrong last four answers exactly like an unknown order, so a claim never tells whether an order exists.
    /// </summary>
    public Task<ClaimOutcome> ClaimAsync(long memberId, string orderNo, string last4, string? platform, DateTime now, CancellationToken ct) =>
        LockConflictRetry.RunAsync(async () =>
        {
            await using var c = await db.OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var found = (await c.QueryAsync<ClaimRow>(new CommandDefinition(FindForClaimSql, new { orderNo, platform }, tx, cancellationToken: ct)))
                .Where(r => r.PhoneLast4 == last4).ToList();
            if (found.Count == 0) return new NotFound();
            if (found.Count > 1) return (ClaimOutcome)new Ambiguous();
            var row = found[0];
            if (row.MemberId is { } holder) return holder == memberId ? new AlreadyYours() : new ClaimedByOther();
            if (await c.ExecuteAsync(new CommandDefinition(ClaimSql, new { memberId, now, id = row.Id }, tx, cancellationToken: ct)) == 0)
                return new ClaimedByOther();
            var counted = await CountForLoyaltyAsync(c, tx, row.Id, memberId, row.AmountFen, now, ct);
            await activity.MembersChangedAsync(c, tx, [memberId], ct);
            await tx.CommitAsync(ct);
            return new ClaimSucceeded(new MarketplaceClaimedDto(row.Platform, row.OrderNo, row.AmountFen, row.PaidAt, counted));
        }, ct);

    sealed record ClaimRow
    {
        public long Id { get; init; }
        public string Platform { get; init; } = "";
        public string OrderNo { get; init; } = "";
        public string PhoneLast4 { get; init; } = "";
        public long AmountFen { get; init; }
        public DateTime PaidAt { get; init; }
        public long? MemberId { get; init; }
    }

    /// <summary>A merge: the merged member's imported orders follow it to the survivor (MarketplaceMergeParticipant, in the merge's transaction).</summary>
    public static Task<int> MoveToMemberAsync(DbConnection c, DbTransaction tx, long mergedId, long survivorId, DateTime now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "UPDATE marketplace_orders SET member_id = @survivorId, updated_at = @now WHERE member_id = @mergedId",
            new { survivorId, mergedId, now }, tx, cancellationToken: ct));
}
