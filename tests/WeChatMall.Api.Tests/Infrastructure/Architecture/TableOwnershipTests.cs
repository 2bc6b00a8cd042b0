using System.Text.RegularExpressions;

namespace WeChatMall.Api.Tests.Infrastructure.Architecture;

/// <summary>
/// One owner per table: SQL that writes orders, order_lines, order_refunds or SKU stock appears only in its owner's
/// files. Another feature calls the owner's store inside its own transaction. Scans the text of src/**/*.cs.
/// </summary>
public sealed partial class TableOwnershipTests
{
    static readonly (string Table, string[] Owners)[] Owned =
    [
        ("orders", ["WeChatMall.Api/Features/Orders/OrderStore.cs", "WeChatMall.Api/Features/Orders/OrderTransitions.cs"]),
        ("order_lines", ["WeChatMall.Api/Features/Orders/OrderStore.cs"]),
        ("order_events", ["WeChatMall.Api/Features/Orders/OrderStore.cs", "WeChatMall.Api/Features/Orders/OrderTransitions.cs"]),
        ("order_refunds", ["WeChatMall.Api/Features/Payments/RefundStore.cs"]),
        ("order_refund_lines", ["WeChatMall.Api/Features/Payments/RefundStore.cs"]),
        ("refund_events", ["WeChatMall.Api/Features/Payments/RefundStore.cs"]),
        ("member_stats", ["WeChatMall.Api/Features/Audience/MemberStats.cs"]),
        ("member_tags", ["WeChatMall.Api/Features/Audience/Tags/TagStore.cs"]),
        ("campaigns", ["WeChatMall.Api/Features/Campaigns/CampaignStore.cs", "WeChatMall.Api/Features/Campaigns/CampaignTransitions.cs"]),
        ("campaign_events", ["WeChatMall.Api/Features/Campaigns/CampaignTransitions.cs"]),
        ("campaign_recipients", ["WeChatMall.Api/Features/Campaigns/RecipientStore.cs", "WeChatMall.Api/Features/Campaigns/RecipientBatchStore.cs"]),
        ("campaign_templates", ["WeChatMall.Api/Features/Campaigns/TemplateRegistry.cs"]),
        ("campaign_mass_jobs", ["WeChatMall.Api/Features/Campaigns/Mass/MassJobStore.cs"]),
        ("campaign_mass_results", ["WeChatMall.Api/Features/Campaigns/Mass/MassJobStore.cs"]),
        ("mass_monthly_counts", ["WeChatMall.Api/Features/Campaigns/Mass/MassMonthlyCounts.cs"]),
        ("member_subscribe_credits", ["WeChatMall.Api/Features/Campaigns/Credits/SubscribeCredits.cs"]),
        ("subscribe_credit_events", ["WeChatMall.Api/Features/Campaigns/Credits/SubscribeCredits.cs"]),
        ("journeys", ["WeChatMall.Api/Features/Journeys/JourneyStore.cs", "WeChatMall.Api/Features/Journeys/JourneyTransitions.cs"]),
        ("journey_versions", ["WeChatMall.Api/Features/Journeys/JourneyStore.cs"]),
        ("journey_send_steps", ["WeChatMall.Api/Features/Journeys/JourneyStore.cs"]),
        ("journey_events", ["WeChatMall.Api/Features/Journeys/JourneyTransitions.cs"]),
        ("journey_members", ["WeChatMall.Api/Features/Journeys/JourneyMemberStore.cs"]),
        ("journey_step_passes", ["WeChatMall.Api/Features/Journeys/JourneyMemberStore.cs"]),
        ("member_coupons", ["WeChatMall.Api/Features/Offers/CouponTransitions.cs"]),
        ("coupon_events", ["WeChatMall.Api/Features/Offers/CouponTransitions.cs"]),
        ("coupon_grant_runs", ["WeChatMall.Api/Features/Offers/CouponSegmentGrants.cs"]),
        ("coupon_grant_recipients", ["WeChatMall.Api/Features/Offers/CouponSegmentGrants.cs"]),
        ("operators", ["WeChatMall.Api/Features/Operators/OperatorStore.cs"]),
        ("admin_api_tokens", ["WeChatMall.Api/Features/Operators/ApiTokenStore.cs"]),
        ("admin_audit", ["WeChatMall.Api/Features/Operators/AuditStore.cs"]),
    ];

    // Stock is taken or returned only by Stock; ProductStore inserts a new SKU with its opening stock.
    static readonly string[] StockOwners = ["WeChatMall.Api/Features/Catalog/Stock.cs"];

    // The statement's table list: everything between the verb and SET / ( / VALUES / SELECT (joins included).
    [GeneratedRegex(@"\b(?:UPDATE|INSERT\s+(?:IGNORE\s+)?INTO|REPLACE\s+INTO|DELETE\s+FROM)\s+(?<tables>[\s\S]*?)(?=\bSET\b|\(|\bVALUES\b|\bSELECT\b|\bWHERE\b|""|;)",
        RegexOptions.IgnoreCase)]
    private static partial Regex WriteStatement();

    [GeneratedRegex(@"\bUPDATE\s+[\s\S]*?\bcatalog_skus\b[\s\S]*?\bSET\b[^;""]*?\bstock\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StockUpdate();

    static string SrcRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WeChatMall.sln"))) return Path.Combine(dir.FullName, "src");
        throw new DirectoryNotFoundException("WeChatMall.sln not found above " + AppContext.BaseDirectory);
    }

    static IEnumerable<(string Path, string Text)> Sources()
    {
        var root = SrcRoot();
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText(f)));
    }

    /// <summary>Files (relative to src/) with SQL that writes <paramref name="table"/>.</summary>
    public static IReadOnlyList<string> FilesWriting(string table)
    {
        var name = new Regex($@"(?<![\w.]){Regex.Escape(table)}\b", RegexOptions.IgnoreCase);
        return [.. Sources().Where(s => WriteStatement().Matches(s.Text).Any(m => name.IsMatch(m.Groups["tables"].Value))).Select(s => s.Path).Order()];
    }

    public static IReadOnlyList<string> FilesWritingStock()
        => [.. Sources().Where(s => StockUpdate().IsMatch(s.Text)).Select(s => s.Path).Order()];

    [TestCaseSource(nameof(Tables))]
    public void Table_IsWrittenOnlyByItsOwner(string table)
    {
        var owners = Owned.Single(o => o.Table == table).Owners;
        var writers = FilesWriting(table);
        Assert.That(writers.Except(owners), Is.Empty, $"SQL writing {table} outside its owner ({string.Join(", ", owners)}): call the owner's store instead.");
        Assert.That(writers, Is.Not.Empty, "the scan must find the owner itself, or it proves nothing");
    }

    static IEnumerable<string> Tables() => Owned.Select(o => o.Table);

    [Test]
    public void SkuStock_IsTakenAndReturnedOnlyByStock()
    {
        var writers = FilesWritingStock();
        Assert.That(writers, Is.EqualTo(StockOwners), "catalog_skus.stock is changed only through Catalog/Stock.cs");
    }

    [Test]
    public void Scanner_FindsWritesInTheShapesWeUse()
    {
        const string sample = "\"\"\"\n UPDATE catalog_skus s JOIN order_lines l ON l.sku_id = s.id\n SET s.stock = s.stock + 1, l.refunded_quantity = 1 WHERE 1\n\"\"\"";
        Assert.Multiple(() =>
        {
            Assert.That(WriteStatement().Matches(sample).Single().Groups["tables"].Value, Does.Contain("order_lines"));
            Assert.That(StockUpdate().IsMatch(sample), Is.True);
            Assert.That(WriteStatement().IsMatch("\"INSERT INTO orders (order_no) VALUES (@no)\""), Is.True);
            Assert.That(WriteStatement().Match("\"DELETE FROM order_lines WHERE id = 1\"").Groups["tables"].Value.Trim(), Is.EqualTo("order_lines"));
        });
    }
}
