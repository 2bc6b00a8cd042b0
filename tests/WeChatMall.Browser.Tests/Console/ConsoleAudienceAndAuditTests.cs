using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WeChatMall.Api.Tests.TestHost;
using static Microsoft.Playwright.Assertions;
using static WeChatMall.Browser.Tests.Console.ConsoleEnvironment;

namespace WeChatMall.Browser.Tests.Console;

/// <summary>The audit log and the audience pages (segments, tags) of the console, against the real API.</summary>
public sealed class ConsoleAudienceAndAuditTests
{
    [Test]
    public async Task AuditLog_FiltersByAction_AndShowsTheRoleChangeAsADiff()
    {
        // A change made through the API with the bootstrap key: the audit log keeps the operator's before and after.
        var changed = await NewOperatorAsync("operator");
        using (var admin = ApiServer.CreateAdminClient())
        {
            var id = await ApiServer.ScalarAsync<long>("SELECT id FROM operators WHERE username = @changed", new { changed });
            await JsonAsync(await admin.PutAsJsonAsync($"/admin/operators/{id}", new { role = "viewer", displayName = (string?)null, disabled = (bool?)null }));
        }
        var page = await SignedInAsync(await NewOperatorAsync("owner"));
        await page.ClickAsync("[data-nav=audit]");
        await page.FillAsync("input[data-test=audit-operator]", "bootstrap key");
        await page.FillAsync("input[data-test=audit-action]", "PUT /admin/operators");
        await page.ClickAsync("[data-test=audit-search]");
        var row = page.Locator("[data-test=audit-entries] .el-table__row").First;
        // The action by its name; the raw route stays in the tooltip and the details.
        await Expect(row.Locator("[data-test=audit-action-label]")).ToHaveTextAsync("修改操作员");
        await Expect(row).ToContainTextAsync("bootstrap key");
        await row.Locator("[data-test=audit-action-label]").HoverAsync();
        await Expect(page.Locator(".el-popper:visible", new() { HasText = "PUT /admin/operators/{id" })).ToBeVisibleAsync();
        await row.Locator(".el-table__expand-icon").ClickAsync();
        await Expect(page.Locator("[data-test=audit-raw-action]").First).ToContainTextAsync("PUT /admin/operators/{id");
        var diff = page.Locator("[data-test=audit-diff]").First;
        var role = diff.Locator(".el-table__row", new() { HasText = "role" });
        await Expect(role.Locator(".was")).ToHaveTextAsync("\"operator\"");
        await Expect(role.Locator(".now")).ToHaveTextAsync("\"viewer\"");

        // The export link carries the same filters, and the API answers it with those rows.
        var href = await page.GetAttributeAsync("[data-test=audit-export]", "href");
        Assert.That(href, Does.Contain("action=PUT+%2Fadmin%2Foperators").Or.Contain("action=PUT%20%2Fadmin%2Foperators"));
        var csv = await (await page.APIRequest.GetAsync(href!)).TextAsync();
        Assert.That(csv.Split('\n').Skip(1).Where(l => l.Length > 0), Is.Not.Empty.And.All.Contain("PUT /admin/operators/{id"));

        // A filter nothing matches shows the empty state, not an error.
        await page.FillAsync("input[data-test=audit-action]", "no-such-action-" + Guid.NewGuid().ToString("N")[..6]);
        await page.ClickAsync("[data-test=audit-search]");
        await Expect(page.Locator("[data-test=audit-entries]")).ToContainTextAsync("暂无数据");
        await Expect(page.Locator("[data-test=load-error]")).ToHaveCountAsync(0);
    }

    [Test]
    public async Task Segment_BuiltInTheRuleEditor_HasTheApisLiveCount_AndPreview()
    {
        var first = await ConsoleShop.PaidOrderAsync(priceFen: 3_300, title: "凤凰单丛 " + Guid.NewGuid().ToString("N")[..4]);
        var second = await ConsoleShop.PaidOrderAsync(priceFen: 4_400, title: "正山小种 " + Guid.NewGuid().ToString("N")[..4]);
        var products = new List<long>();
        foreach (var orderNo in new[] { first, second })
            products.Add(await ApiServer.ScalarAsync<long>(
                "SELECT l.product_id FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.order_no = @orderNo", new { orderNo }));
        var name = "买过两款茶 " + Guid.NewGuid().ToString("N")[..4];

        var page = await SignedInAsync(await NewOperatorAsync("marketer"));
        await page.ClickAsync("[data-nav=segments]");
        await page.ClickAsync("[data-test=new-segment]");
        var editor = page.Locator("[data-test=segment-editor]");
        await editor.Locator("input[name=segmentName]").FillAsync(name);
        // No condition yet: everyone — the live count is the API's count of all members.
        await editor.Locator("[data-test=add-condition]").ClickAsync();
        await editor.Locator("[data-test=cond-field]").ClickAsync();
        await page.Locator(".el-select-dropdown__item:visible", new() { HasText = "(boughtProduct)" }).ClickAsync();
        await editor.Locator("input[data-test=cond-value]").FillAsync($"{products[0]}, {products[1]}");
        await Expect(editor.Locator("[data-test=live-count-value]")).ToHaveTextAsync("2");
        await editor.Locator("[data-test=preview]").ClickAsync();
        await Expect(editor.Locator("[data-test=segment-preview] .el-table__row")).ToHaveCountAsync(2);
        await editor.Locator("[data-test=save-segment]").ClickAsync();
        await Expect(page.Locator("[data-test=segments]")).ToContainTextAsync(name);

        using var admin = ApiServer.CreateAdminClient();
        var saved = (await JsonAsync(await admin.GetAsync("/admin/segments"))).EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
        var rule = saved.GetProperty("rule");
        Assert.That(rule.GetProperty("all")[0].GetProperty("field").GetString(), Is.EqualTo("boughtProduct"));
        Assert.That(rule.GetProperty("all")[0].GetProperty("value").EnumerateArray().Select(v => v.GetInt64()), Is.EqualTo(products));
        var count = await JsonAsync(await admin.GetAsync($"/admin/segments/{saved.GetProperty("id").GetInt64()}/count"));
        Assert.That(count.GetProperty("count").GetInt64(), Is.EqualTo(2));

        // A bad value is the API's 400 shown in the editor, not a crash.
        await editor.Locator("input[data-test=cond-value]").FillAsync("not-a-number");
        await Expect(editor.Locator("[data-test=rule-error]")).ToBeVisibleAsync();
    }

    [Test]
    public async Task Tags_ManualAndRule_AreListed_AndAViewerCannotChangeThem()
    {
        var name = "老茶客" + Guid.NewGuid().ToString("N")[..4];
        var page = await SignedInAsync(await NewOperatorAsync("marketer"));
        await page.GotoAsync("/console/segments");
        await page.ClickAsync("#tab-tags");
        await page.ClickAsync("[data-test=new-tag]");
        await page.FillAsync("[data-test=tag-form] input[name=tagName]", name);
        await page.ClickAsync("[data-test=save-tag]");
        await Expect(page.Locator("[data-test=tags]")).ToContainTextAsync(name);
        using var admin = ApiServer.CreateAdminClient();
        var tag = (await JsonAsync(await admin.GetAsync("/admin/tags"))).EnumerateArray().Single(t => t.GetProperty("name").GetString() == name);
        Assert.That(tag.GetProperty("kind").GetString(), Is.EqualTo("manual"));

        var viewer = await SignedInAsync(await NewOperatorAsync("viewer"));
        await viewer.ClickAsync("[data-nav=segments]");
        await Expect(viewer.Locator("[data-test=new-segment]")).ToBeDisabledAsync();
        await Expect(viewer.Locator("[data-test=read-only]")).ToBeVisibleAsync();
        await viewer.ClickAsync("#tab-tags");
        await Expect(viewer.Locator("[data-test=new-tag]")).ToBeDisabledAsync();
        await Expect(viewer.Locator("[data-test=tags] [data-test=tag-sync]").First).ToBeDisabledAsync();
    }

    [Test]
    public async Task Channel_MadeInTheConsole_ShowsItsQrImage_AndItsFunnel()
    {
        var name = "西湖门店 " + Guid.NewGuid().ToString("N")[..4];
        var page = await SignedInAsync(await NewOperatorAsync("marketer"));
        await page.ClickAsync("[data-nav=channels]");
        await page.ClickAsync("[data-test=new-channel]");
        await page.FillAsync("[data-test=channel-form] input[name=channelName]", name);
        await page.ClickAsync("[data-test=save-channel]");
        var row = page.Locator("[data-test=channels] .el-table__row", new() { HasText = name });
        await Expect(row).ToBeVisibleAsync();

        // The image is the API's PNG of the stored QR content, loaded by the browser with the session cookie.
        var img = row.Locator("img[data-test=channel-qr]");
        await Expect(img).ToHaveJSPropertyAsync("complete", true);
        Assert.That(await img.EvaluateAsync<int>("i => i.naturalWidth"), Is.GreaterThan(20), "the QR PNG loaded");
        using var admin = ApiServer.CreateAdminClient();
        var channel = (await JsonAsync(await admin.GetAsync("/admin/channels"))).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        Assert.That(await img.GetAttributeAsync("src"), Does.StartWith($"/admin/channels/{channel.GetProperty("id").GetInt64()}/qr.png"));

        await row.Locator("[data-test=show-funnel]").ClickAsync();
        await Expect(page.Locator("[data-test=funnel]")).ToContainTextAsync("扫码");
    }

    [Test]
    public async Task Menu_WithFourTopLevelButtons_ShowsTheApisMenuButtonCountProblem()
    {
        var page = await SignedInAsync(await NewOperatorAsync("marketer"));
        await page.GotoAsync("/console/channels");
        await page.ClickAsync("#tab-menu");
        for (var i = 0; i < 4; i++)
        {
            await page.ClickAsync("[data-test=add-button]");
            await page.FillAsync($"input[name=button{i}]", $"菜单{i}");
            await page.Locator("[data-test=menu-button]").Nth(i).Locator("input[placeholder=key]").FillAsync($"KEY_{i}");
        }
        await page.ClickAsync("[data-test=publish-menu]");
        await Expect(page.Locator("[data-test=menu-problem]")).ToContainTextAsync("MENU_BUTTON_COUNT");
        await Expect(page.Locator("[data-test=menu-problem]")).ToContainTextAsync("一级菜单须为 1–3 个");

        // Three buttons are a valid menu: published to the sandbox's WeChat and read back.
        await page.Locator("[data-test=menu-button]").Nth(3).GetByText("删除").ClickAsync();
        await page.ClickAsync("[data-test=publish-menu]");
        await Expect(page.Locator(".el-message--success")).ToContainTextAsync("菜单已发布");
        using var admin = ApiServer.CreateAdminClient();
        var live = await JsonAsync(await admin.GetAsync("/admin/channels/menu"));
        var buttons = (live.TryGetProperty("menu", out var menu) ? menu : live).GetProperty("button");
        Assert.That(buttons.EnumerateArray().Select(b => b.GetProperty("key").GetString()), Is.EqualTo(new[] { "KEY_0", "KEY_1", "KEY_2" }));
    }

    [Test]
    public async Task Numbers_ShowTheMetricsApisFigures_AfterARollUpFromThePage()
    {
        await ConsoleShop.PaidOrderAsync(priceFen: 5_800, title: "金骏眉 " + Guid.NewGuid().ToString("N")[..4]);
        var page = await SignedInAsync(await NewOperatorAsync("manager"));
        await page.ClickAsync("[data-nav=metrics]");
        await page.ClickAsync("[data-test=metrics-refresh]");
        await Expect(page.Locator(".el-message--success")).ToBeVisibleAsync();

        using var admin = ApiServer.CreateAdminClient();
        var revenue = await JsonAsync(await admin.GetAsync("/admin/metrics/revenue"));
        var paid = revenue.GetProperty("paidOrders").GetInt64();
        Assert.That(paid, Is.GreaterThanOrEqualTo(1), "the rolled-up day has the order paid above");
        await Expect(page.Locator("[data-test=metric-paidOrders] .value")).ToHaveTextAsync(paid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-test=metric-revenue] .value"))
            .ToHaveTextAsync((revenue.GetProperty("totalRevenueFen").GetInt64() / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-test=metrics] canvas").First).ToBeVisibleAsync();

        // The dashboard's member cards read the same rollup: today's new members as the growth API counts them.
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var growth = await JsonAsync(await admin.GetAsync($"/admin/metrics/growth?from={today}&to={today}"));
        await page.ClickAsync("[data-nav=dashboard]");
        await Expect(page.Locator("[data-test=kpi-newMembers] .big")).ToHaveTextAsync(
            growth.GetProperty("newMembers").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-test=kpi-memberShare] .big")).ToContainTextAsync("%");
    }
}
