using System.Text;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Audience.Marketplace.MarketplaceTestData;

namespace WeChatMall.Api.Tests.Features.Audience.Marketplace;

public sealed class MarketplaceImportTests
{
    static ApiFactory Api => MarketplaceEnvironment.Api;

    [Test]
    public async Task Import_SameGbkFileTwice_AddsNothingTheSecondTime()
    {
        string[] nos = [NewOrderNo(), NewOrderNo(), NewOrderNo()];
        var mobile = NewMobile();
        var csv = string.Join("\r\n", [TmallHeader, TmallRow(nos[0], mobile), TmallRow(nos[1], "138****5678"), TmallRow(nos[2], "139****0001")]);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gbk = Encoding.GetEncoding(54936);   // GB18030: Taobao writes its CSV reports in GBK

        var first = await ReportAsync(await ImportCsvAsync("tmall", csv, gbk));
        var second = await ReportAsync(await ImportCsvAsync("tmall", csv, gbk));

        Assert.Multiple(async () =>
        {
            Assert.That(first.GetProperty("imported").GetInt32(), Is.EqualTo(3));
            Assert.That(first.GetProperty("newProspects").GetInt32(), Is.EqualTo(1));
            Assert.That(second.GetProperty("rows").GetInt32(), Is.EqualTo(3));
            Assert.That(second.GetProperty("imported").GetInt32(), Is.EqualTo(0));
            Assert.That(second.GetProperty("duplicates").GetInt32(), Is.EqualTo(3));
            Assert.That(second.GetProperty("newProspects").GetInt32(), Is.EqualTo(0));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM marketplace_orders WHERE order_no IN @nos", new { nos }), Is.EqualTo(3));
            // Other tests create members meanwhile: count only the holders of this file's one full phone number.
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_identities WHERE kind = 'phone' AND value LIKE @p",
                new { p = "%" + mobile }), Is.EqualTo(1));
            Assert.That(await Api.ScalarAsync<string>("SELECT items FROM marketplace_orders WHERE order_no = @no", new { no = nos[0] }),
                Is.EqualTo("铁观音 250g"));
        });
    }

    [Test]
    public async Task Import_Report_CountsMatchedProspectsUnclaimedAndRejectsWithReasons()
    {
        using var member = await LoginAsync();
        var memberMobile = NewMobile();
        await BindPhoneAsync(member, memberMobile);
        var prospectMobile = NewMobile();
        using (var admin = Api.CreateAdminClient())
            (await admin.PostAsync("/admin/members", System.Net.Http.Json.JsonContent.Create(new { phone = prospectMobile }))).EnsureSuccessStatusCode();
        string matched = NewOrderNo(), fresh = NewOrderNo(), prospect = NewOrderNo(), masked = NewOrderNo();
        var csv = string.Join("\n",
        [
            TmallHeader,
            TmallRow(matched, memberMobile, amount: "¥99.00"),           // line 2: a member's verified phone
            TmallRow(fresh, "+86 " + NewMobile()),                     // 3: nobody's: a new prospect
            TmallRow(prospect, prospectMobile),                        // 4: an existing prospect's
            TmallRow(masked, "152****4321"),                           // 5: masked: waits for a claim
            TmallRow("", NewMobile()),                                 // 6
            TmallRow(NewOrderNo(), NewMobile(), amount: "abc"),        // 7
            TmallRow(NewOrderNo(), NewMobile(), status: "交易关闭"),    // 8
            TmallRow(NewOrderNo(), "138********"),                     // 9
            TmallRow(NewOrderNo(), NewMobile(), paidAt: ""),           // 10
            TmallRow(NewOrderNo(), NewMobile(), paidAt: "yesterday"),  // 11
            TmallRow(NewOrderNo(), ""),                                // 12
        ]);

        var report = await ReportAsync(await ImportCsvAsync("tmall", csv));
        var rejections = report.GetProperty("rejections").EnumerateArray()
            .Select(r => (r.GetProperty("row").GetInt32(), r.GetProperty("reason").GetString())).ToList();
        var history = await ReadAsync(await member.Client.GetAsync("/api/me/marketplace-orders"));

        Assert.Multiple(async () =>
        {
            Assert.That(report.GetProperty("rows").GetInt32(), Is.EqualTo(11));
            Assert.That(report.GetProperty("imported").GetInt32(), Is.EqualTo(4));
            Assert.That(report.GetProperty("matched").GetInt32(), Is.EqualTo(1));
            Assert.That(report.GetProperty("prospects").GetInt32(), Is.EqualTo(2));
            Assert.That(report.GetProperty("newProspects").GetInt32(), Is.EqualTo(1));
            Assert.That(report.GetProperty("unclaimed").GetInt32(), Is.EqualTo(1));
            Assert.That(report.GetProperty("duplicates").GetInt32(), Is.EqualTo(0));
            Assert.That(report.GetProperty("rejected").GetInt32(), Is.EqualTo(7));
            Assert.That(rejections, Is.EqualTo(new (int, string?)[]
            {
                (6, "missing_order_no"), (7, "bad_amount"), (8, "not_paid"), (9, "bad_phone"), (10, "not_paid"), (11, "bad_paid_at"),
                (12, "missing_phone"),
            }));
            // The matched order is in the member's history and counted toward loyalty once (99 yuan → 99 points at 1/yuan).
            Assert.That(history.EnumerateArray().Select(o => o.GetProperty("orderNo").GetString()), Is.EqualTo(new[] { matched }));
            Assert.That(history[0].GetProperty("amountFen").GetInt64(), Is.EqualTo(9_900));
            Assert.That(history[0].GetProperty("countedForLoyalty").GetBoolean(), Is.True);
            Assert.That(await Api.ScalarAsync<long>("SELECT lifetime_spend_fen FROM members WHERE id = @id", new { id = member.MemberId }), Is.EqualTo(9_900));
            Assert.That(await Api.ScalarAsync<bool>("SELECT marketplace_customer FROM member_stats WHERE member_id = @id", new { id = member.MemberId }),
                Is.True, "the audience sees the member as a marketplace customer (segment field marketplaceCustomer)");
            Assert.That(await Api.ScalarAsync<string>("SELECT link FROM marketplace_orders WHERE order_no = @prospect", new { prospect }), Is.EqualTo("prospect"));
            Assert.That(await Api.ScalarAsync<string>("SELECT phone_masked FROM marketplace_orders WHERE order_no = @fresh", new { fresh }), Does.Contain("****"));
        });

        using var stored = Api.CreateAdminClient();
        var again = await ReadAsync(await stored.GetAsync($"/admin/marketplace/imports/{report.GetProperty("importId").GetInt64()}"));
        Assert.That(again.GetProperty("rejections").GetArrayLength(), Is.EqualTo(7));
    }

    [Test]
    public async Task ProspectOrder_FollowsTheShopperWhoVerifiesThePhone()
    {
        var mobile = NewMobile();
        var no = NewOrderNo();
        var report = await ReportAsync(await ImportCsvAsync("tmall", TmallHeader + "\n" + TmallRow(no, mobile)));
        using var shopper = await LoginAsync();
        await BindPhoneAsync(shopper, mobile);   // absorbs the prospect the import created (Members:MergeOnVerifiedPhone)
        var history = await ReadAsync(await shopper.Client.GetAsync("/api/me/marketplace-orders"));
        Assert.Multiple(() =>
        {
            Assert.That(report.GetProperty("newProspects").GetInt32(), Is.EqualTo(1));
            Assert.That(history.EnumerateArray().Select(o => o.GetProperty("orderNo").GetString()), Is.EqualTo(new[] { no }));
        });
        Assert.That(await Api.ScalarAsync<bool>("SELECT marketplace_customer FROM member_stats WHERE member_id = @id", new { id = shopper.MemberId }),
            Is.True, "the absorbed prospect's imported order makes the shopper a marketplace customer");
    }

    [Test]
    public async Task Import_JdWorkbook_OneRowPerItem_MakesOneOrder()
    {
        var no = NewOrderNo();
        Dictionary<string, object?> Row(string item) => new()
        {
            ["订单号"] = no, ["商品名称"] = item, ["下单时间"] = "2025-03-01 11:58:00", ["应付金额"] = 256.5, ["订单状态"] = "完成",
            ["下单帐号"] = "jd_buyer", ["客户姓名"] = "李四", ["联系电话"] = "186****2468", ["付款确认时间"] = "2025-03-01 12:00:00",
        };
        var report = await ReportAsync(await ImportXlsxAsync("jd", [Row("大红袍"), Row("茶杯")]));
        var row = await Api.RowAsync("SELECT amount_fen, items, phone_last4, paid_at FROM marketplace_orders WHERE platform = 'jd' AND order_no = @no", new { no });
        Assert.Multiple(() =>
        {
            Assert.That(report.GetProperty("imported").GetInt32(), Is.EqualTo(1));
            Assert.That(report.GetProperty("duplicates").GetInt32(), Is.EqualTo(1));
            Assert.That((long)row!.amount_fen, Is.EqualTo(25_650));
            Assert.That((string)row.items, Is.EqualTo("大红袍; 茶杯"));
            Assert.That((string)row.phone_last4, Is.EqualTo("2468"));
            Assert.That((DateTime)row.paid_at, Is.EqualTo(new DateTime(2025, 3, 1, 4, 0, 0)), "China time stored as UTC");
        });
    }

    [Test]
    public async Task Import_UnknownPlatformOrMissingColumn_Is400()
    {
        var unknown = await ImportCsvAsync("amazon", TmallHeader + "\n" + TmallRow(NewOrderNo(), NewMobile()));
        var missing = await ImportCsvAsync("tmall", "订单编号,买家会员名\n1,x");
        Assert.Multiple(async () =>
        {
            Assert.That((int)unknown.StatusCode, Is.EqualTo(400));
            Assert.That(Code(await ReadAsync(unknown)), Is.EqualTo("MARKETPLACE_PLATFORM_UNKNOWN"));
            Assert.That((int)missing.StatusCode, Is.EqualTo(400));
            Assert.That(Code(await ReadAsync(missing)), Is.EqualTo("MARKETPLACE_FILE_INVALID"));
        });
    }

    [Test]
    public async Task Imports_ListsEachImportNewestFirstWithItsCounts()
    {
        var older = await ReportAsync(await ImportCsvAsync("tmall", string.Join("\n", [TmallHeader, TmallRow(NewOrderNo(), "138****0002")])));
        var newer = await ReportAsync(await ImportCsvAsync("tmall", string.Join("\n",
            [TmallHeader, TmallRow(NewOrderNo(), "138****0003"), TmallRow(NewOrderNo(), NewMobile(), amount: "abc")])));
        using var admin = Api.CreateAdminClient();

        var list = await ReadAsync(await admin.GetAsync("/admin/marketplace/imports?pageSize=200"));
        var ids = list.EnumerateArray().Select(i => i.GetProperty("importId").GetInt64()).ToList();
        var mine = list.EnumerateArray().Single(i => i.GetProperty("importId").GetInt64() == newer.GetProperty("importId").GetInt64());
        var onePage = await ReadAsync(await admin.GetAsync("/admin/marketplace/imports?page=2&pageSize=1"));

        Assert.Multiple(() =>
        {
            Assert.That(ids, Is.Ordered.Descending);
            Assert.That(ids, Does.Contain(older.GetProperty("importId").GetInt64()));
            Assert.That(mine.GetProperty("fileName").GetString(), Is.EqualTo("export.csv"));
            Assert.That(mine.GetProperty("rows").GetInt32(), Is.EqualTo(2));
            Assert.That(mine.GetProperty("unclaimed").GetInt32(), Is.EqualTo(1));
            Assert.That(mine.GetProperty("rejected").GetInt32(), Is.EqualTo(1));
            Assert.That(onePage.GetArrayLength(), Is.EqualTo(1));
            Assert.That(onePage[0].GetProperty("importId").GetInt64(), Is.EqualTo(ids[1]));
        });
    }
}
