using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static WeChatMall.Browser.Tests.Console.ConsoleEnvironment;

namespace WeChatMall.Browser.Tests.Console;

/// <summary>The dashboard's orders and revenue: the metrics API's China days, one request whatever the number of orders.</summary>
public sealed class ConsoleDashboardTests
{
    [Test]
    public async Task Dashboard_ShowsTodaysPaidOrdersAndRevenue_FromOneMetricsRequest()
    {
        await ConsoleShop.PaidOrderAsync(priceFen: 4_200, title: "碧螺春 " + Guid.NewGuid().ToString("N")[..4]);
        using var admin = ApiServer.CreateAdminClient();
        await JsonAsync(await admin.PostAsync("/admin/metrics/refresh", null));
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var day = (await JsonAsync(await admin.GetAsync($"/admin/metrics/revenue?from={today}&to={today}"))).GetProperty("days").EnumerateArray()
            .Single(d => d.GetProperty("day").GetString() == today);
        Assert.That(day.GetProperty("paidOrders").GetInt64(), Is.GreaterThanOrEqualTo(1), "the rolled-up day has the order paid above");

        var page = await SignedInAsync(await NewOperatorAsync("viewer"));
        var requests = new List<string>();
        page.Request += (_, r) => requests.Add(new Uri(r.Url).AbsolutePath);
        await page.GotoAsync("/console/");
        await Expect(page.Locator("[data-test=kpi-orders] .big")).ToHaveTextAsync(day.GetProperty("paidOrders").GetInt64().ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-test=kpi-revenue] .big"))
            .ToHaveTextAsync((day.GetProperty("revenueFen").GetInt64() / 100m).ToString("0.00", CultureInfo.InvariantCulture));
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Multiple(() =>
        {
            Assert.That(requests.Count(p => p == "/admin/metrics/revenue"), Is.EqualTo(2), "one for the week's orders and revenue, one for the member share");
            Assert.That(requests.Where(p => p.StartsWith("/admin/orders", StringComparison.Ordinal)), Is.Empty, "no paging through the orders");
        });
    }
}
