using System.Text;
using Microsoft.Playwright;
using WeChatMall.Api.Tests.TestHost;
using static Microsoft.Playwright.Assertions;
using static WeChatMall.Browser.Tests.Console.ConsoleEnvironment;

namespace WeChatMall.Browser.Tests.Console;

/// <summary>The marketplace page: a manager uploads a marketplace export and reads what the import did.</summary>
public sealed class ConsoleMarketplaceTests
{
    /// <summary>A Tmall order report as Taobao's seller centre writes it (GBK): two masked phones and one bad amount.</summary>
    public static (string[] OrderNos, byte[] File) TmallExport()
    {
        string[] nos = [.. Enumerable.Range(0, 3).Select(_ => Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture))];
        var csv = string.Join("\r\n",
            "订单编号,买家会员名,买家实际支付金额,订单状态,收货人姓名,联系手机,订单付款时间,宝贝标题",
            $"{nos[0]},tb_茶友,128.50,交易成功,张三,138****5678,2025-03-01 12:00:00,铁观音 250g",
            $"{nos[1]},tb_老客,\"¥1,024.00\",交易成功,李四,139****0001,2025-03-02 20:30:00,大红袍 礼盒",
            $"{nos[2]},tb_新客,abc,交易成功,王五,137****0002,2025-03-03 09:00:00,白茶饼");
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return (nos, Encoding.GetEncoding(54936).GetBytes(csv));
    }

    public static async Task UploadAsync(IPage page, byte[] file, string name)
    {
        await page.Locator("[data-test=marketplace-upload] input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = name, MimeType = "text/csv", Buffer = file,
        });
        await Expect(page.Locator("[data-test=marketplace-report]")).ToBeVisibleAsync();
    }

    [Test]
    public async Task Manager_UploadsAGbkExport_SeesTheReport_AndTheImportedOrdersAsWritten()
    {
        var (nos, file) = TmallExport();
        var name = $"tmall-{Guid.NewGuid():N}"[..14] + ".csv";
        var page = await SignedInAsync(await NewOperatorAsync("manager"));
        await page.ClickAsync("[data-nav=marketplace]");

        await UploadAsync(page, file, name);

        await Expect(page.Locator("[data-test=report-rows] b")).ToHaveTextAsync("3");
        await Expect(page.Locator("[data-test=report-imported] b")).ToHaveTextAsync("2");
        await Expect(page.Locator("[data-test=report-unclaimed] b")).ToHaveTextAsync("2");
        await Expect(page.Locator("[data-test=report-rejected] b")).ToHaveTextAsync("1");
        var rejection = page.Locator("[data-test=marketplace-rejections] .el-table__row");
        await Expect(rejection).ToHaveCountAsync(1);
        await Expect(rejection).ToContainTextAsync("金额格式不对");
        await Expect(rejection).ToContainTextAsync(nos[2]);
        await Expect(page.Locator("[data-test=marketplace-imports] .el-table__row", new() { HasText = name })).ToHaveCountAsync(1);

        // The orders of this import, as the file wrote them: GBK text read right, amounts in yuan, masked phones, waiting for a claim.
        await Expect(page.Locator("[data-test=marketplace-import-filter]")).ToBeVisibleAsync();
        var orders = page.Locator("[data-test=marketplace-orders] .el-table__row");
        await Expect(orders).ToHaveCountAsync(2);
        var second = orders.Filter(new() { HasText = nos[1] });
        await Expect(second).ToContainTextAsync("大红袍 礼盒");
        await Expect(second).ToContainTextAsync("1024.00");
        await Expect(second).ToContainTextAsync("139****0001");
        await Expect(second).ToContainTextAsync("待认领");
        Assert.That(await ApiServer.ScalarAsync<string>("SELECT items FROM marketplace_orders WHERE order_no = @no", new { no = nos[0] }),
            Is.EqualTo("铁观音 250g"));
        Assert.That(await ApiServer.ScalarAsync<long>("SELECT amount_fen FROM marketplace_orders WHERE order_no = @no", new { no = nos[1] }),
            Is.EqualTo(102_400));
    }

    [Test]
    public async Task Viewer_SeesTheImports_ButCannotUpload()
    {
        var page = await SignedInAsync(await NewOperatorAsync("viewer"));
        await page.ClickAsync("[data-nav=marketplace]");

        await Expect(page.Locator("[data-test=marketplace-upload] button")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-test=marketplace-imports]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-test=load-error]")).ToHaveCountAsync(0);
    }
}
