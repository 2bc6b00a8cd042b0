using System.Net;
using MiniExcelLibs;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Orders.OrderTestData;

namespace WeChatMall.Api.Tests.Features.Orders;

public sealed class OrderExportTests
{
    static ApiFactory Api => OrdersEnvironment.Api;

    static async Task<(Shopper Shopper, string A, string B)> TwoOrdersAsync(string transactionId)
    {
        var s = await LoginAsync();
        var skus = await NewSkusAsync(5, 1234);
        var address = await NewAddressAsync(s);
        var a = (await PlaceOkAsync(s, address, [(skus[0], 1)])).GetProperty("orderNo").GetString()!;
        var b = (await PlaceOkAsync(s, address, [(skus[0], 2)])).GetProperty("orderNo").GetString()!;
        await MarkPaidAsync(b, transactionId: transactionId);
        return (s, a, b);
    }

    [Test]
    public async Task Export_Csv_EscapesCellsThatAWorkbookWouldRunAsFormulas()
    {
        var (s, a, b) = await TwoOrdersAsync("=1+2");
        using var shopper = s;
        using var admin = Api.CreateAdminClient();

        var csv = await (await admin.GetAsync($"/admin/orders/export?memberId={s.MemberId}")).Content.ReadAsStringAsync();

        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(rows, Has.Length.EqualTo(3));
        Assert.That(rows[1], Does.StartWith($"{a},{s.MemberId},pending_payment,1234,"));
        Assert.That(rows[2], Does.StartWith($"{b},{s.MemberId},paid,2468,"));
        Assert.That(rows[2], Does.Contain(",\"'=1+2\",").Or.Contain(",'=1+2,"), "the transaction id is text, never a formula");
    }

    [Test]
    public async Task Export_Xlsx_HasTheCsvColumns_WithNumbersAndDatesTyped()
    {
        var (s, a, b) = await TwoOrdersAsync("=1+2");
        using var shopper = s;
        using var admin = Api.CreateAdminClient();

        var response = await admin.GetAsync($"/admin/orders/export?memberId={s.MemberId}&format=xlsx");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        Assert.That(response.Content.Headers.ContentDisposition!.FileName, Does.EndWith(".xlsx"));
        var rows = new MemoryStream(bytes).Query(useHeaderRow: true, excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>().ToList();
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(rows[0].Keys.Take(4), Is.EqualTo(new[] { "order_no", "member_id", "status", "goods_fen" }));
            Assert.That(rows.Select(r => r["order_no"]), Is.EqualTo(new[] { a, b }));
            Assert.That(Convert.ToInt64(rows[1]["member_id"]), Is.EqualTo(s.MemberId));
            Assert.That(Convert.ToInt64(rows[1]["goods_fen"]), Is.EqualTo(2468));
            Assert.That(rows[1]["status"], Is.EqualTo("paid"));
            Assert.That(rows[1]["transaction_id"], Is.EqualTo("=1+2"), "a text cell: a workbook never runs it");
            Assert.That(rows[1]["paid_at"], Is.InstanceOf<DateTime>());
            Assert.That(rows[0]["paid_at"], Is.Null);
        });
    }

    [Test]
    public async Task Export_UnknownFormat_Returns400()
    {
        using var admin = Api.CreateAdminClient();

        var response = await admin.GetAsync("/admin/orders/export?format=pdf");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ReadAsync(response)).GetProperty("errors").GetProperty("format").GetArrayLength(), Is.EqualTo(1));
    }
}
