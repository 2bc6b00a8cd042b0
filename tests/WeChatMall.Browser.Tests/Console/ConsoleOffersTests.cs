using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Activity;
using WeChatMall.Api.Tests.TestHost;
using static Microsoft.Playwright.Assertions;
using static WeChatMall.Browser.Tests.Console.ConsoleEnvironment;

namespace WeChatMall.Browser.Tests.Console;

/// <summary>The offers pages of the console (issue #19): coupon templates, grants to a member and to a segment, a viewer.</summary>
public sealed class ConsoleOffersTests
{
    [Test]
    public async Task CouponTemplate_MadeInTheConsole_IsInTheApi_AndTheApisValidationErrorsShowOnTheForm()
    {
        var title = "秋茶满减 " + Guid.NewGuid().ToString("N")[..6];
        var page = await SignedInAsync(await NewOperatorAsync("marketer"));
        await page.ClickAsync("[data-nav=coupons]");
        await page.ClickAsync("[data-test=new-coupon]");
        var form = page.Locator("[data-test=coupon-form]");
        await form.Locator("input[name=couponTitle]").FillAsync(title);
        await form.Locator("[data-test=coupon-kind]").GetByText("折扣券").ClickAsync();
        await SetNumberAsync(form.Locator("[data-test=percent-off] input"), "0");

        // 0 % off is the API's 400 for percentOff, shown under that field; nothing is saved.
        await page.ClickAsync("[data-test=save-coupon]");
        var percentItem = form.Locator(".el-form-item", new() { Has = page.Locator("[data-test=percent-off]") });
        await Expect(percentItem.Locator(".el-form-item__error")).ToContainTextAsync("percent_off");
        Assert.That(await ApiServer.ScalarAsync<long>("SELECT COUNT(*) FROM coupon_templates WHERE title = @title", new { title }), Is.Zero);

        await SetNumberAsync(form.Locator("[data-test=percent-off] input"), "15");
        await SetNumberAsync(form.Locator("[data-test=max-discount] input"), "30");
        await form.Locator("[data-test=coupon-scope]").GetByText("指定分类").ClickAsync();
        await form.Locator("[data-test=coupon-scope]").GetByText("全部商品").ClickAsync();
        await form.Locator("input[name=excludedIds]").FillAsync("101, 102");
        await SetNumberAsync(form.Locator("[data-test=valid-days] input"), "15");
        await form.Locator("[data-test=unlimited]").ClickAsync();
        await SetNumberAsync(form.Locator("[data-test=total-stock] input"), "200");
        await SetNumberAsync(form.Locator("[data-test=per-member-limit] input"), "2");
        await form.Locator("[data-test=coupon-audience]").GetByText("新会员").ClickAsync();
        await form.Locator("[data-test=coupon-stacking]").GetByText("不与会员价同享").ClickAsync();
        await form.Locator("textarea[name=terms]").FillAsync("每单限用一张");
        await page.ClickAsync("[data-test=save-coupon]");

        // Saved: the page moves to the template's detail, and the API has every field as entered.
        await Expect(page.Locator("[data-test=coupon-title]")).ToHaveTextAsync(title);
        await Expect(page.Locator("[data-test=coupon-value]")).ToContainTextAsync("最多减 30.00 元");
        using var admin = ApiServer.CreateAdminClient();
        var saved = (await JsonAsync(await admin.GetAsync("/admin/offers/coupon-templates"))).EnumerateArray()
            .Single(c => c.GetProperty("title").GetString() == title);
        Assert.Multiple(() =>
        {
            Assert.That(saved.GetProperty("kind").GetString(), Is.EqualTo("percent_off"));
            Assert.That(saved.GetProperty("percentOff").GetInt32(), Is.EqualTo(15));
            Assert.That(saved.GetProperty("maxDiscountFen").GetInt64(), Is.EqualTo(3_000));
            Assert.That(saved.GetProperty("scope").GetString(), Is.EqualTo("all"));
            Assert.That(saved.GetProperty("excludedProductIds").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new[] { 101L, 102L }));
            Assert.That(saved.GetProperty("validDays").GetInt32(), Is.EqualTo(15));
            Assert.That(saved.GetProperty("totalStock").GetInt32(), Is.EqualTo(200));
            Assert.That(saved.GetProperty("perMemberLimit").GetInt32(), Is.EqualTo(2));
            Assert.That(saved.GetProperty("audience").GetString(), Is.EqualTo("new_members"));
            Assert.That(saved.GetProperty("combinableWithTier").GetBoolean(), Is.False);
            Assert.That(saved.GetProperty("terms").GetString(), Is.EqualTo("每单限用一张"));
            Assert.That(saved.GetProperty("active").GetBoolean(), Is.True);
        });

        // The list filtered by status shows it among the active ones, not among the inactive.
        await page.ClickAsync("[data-nav=coupons]");
        await page.FillAsync("input[data-test=coupon-q]", title);
        await Expect(page.Locator("[data-test=coupons] .el-table__row")).ToHaveCountAsync(1);
        await page.ClickAsync("[data-test=coupon-status-filter]");
        await page.Locator(".el-select-dropdown__item:visible", new() { HasText = "停用" }).ClickAsync();
        await Expect(page.Locator("[data-test=coupons]")).ToContainTextAsync("没有符合筛选条件的优惠券");
    }

    [Test]
    public async Task SegmentGrant_StartedFromTheCouponPage_ShowsTheJobsProgressAndReport()
    {
        var members = new[] { await NewMemberAsync(), await NewMemberAsync() };
        var segmentName = "发券人群 " + Guid.NewGuid().ToString("N")[..6];
        var segmentId = await TaggedSegmentAsync(segmentName, members);
        // Stock 1 for a segment of 2: one is issued, the other refused as sold out — the report says so.
        var templateId = await NewTemplateAsync("人群券 " + Guid.NewGuid().ToString("N")[..6], totalStock: 1);

        var page = await SignedInAsync(await NewOperatorAsync("marketer"));
        await page.GotoAsync($"/console/coupons/{templateId}");
        await page.ClickAsync("[data-test=grant-segment]");
        await page.Locator(".el-select-dropdown__item:visible", new() { HasText = segmentName }).ClickAsync();
        await page.ClickAsync("[data-test=start-segment-grant]");
        var run = page.Locator("[data-test=segment-grant-run]");
        await Expect(run).ToBeVisibleAsync();
        // The job (Jobs:CouponSegmentGrants, every 5 s) does the work; the page follows the run until it is done.
        await Expect(run.Locator("[data-test=run-status]")).ToHaveTextAsync("已完成", new() { Timeout = 45_000 });
        await Expect(run.Locator("[data-test=run-frozen]")).ToHaveTextAsync("2");
        await Expect(run.Locator("[data-test=run-issued]")).ToHaveTextAsync("1");
        await Expect(run.Locator("[data-test=run-refused]")).ToHaveTextAsync("1");
        await Expect(run.Locator("[data-test=run-refused-by]")).ToContainTextAsync("COUPON_SOLD_OUT");
        await Expect(run.Locator("[data-test=run-refused-by]")).ToContainTextAsync("优惠券已发完");
        await Expect(page.Locator("[data-test=stat-issued] .value")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-test=segment-grant-runs] .el-table__row")).ToHaveCountAsync(1);

        using var admin = ApiServer.CreateAdminClient();
        var runs = await JsonAsync(await admin.GetAsync($"/admin/offers/coupon-templates/{templateId}/segment-grants"));
        var report = await JsonAsync(await admin.GetAsync($"/admin/offers/segment-grants/{runs[0].GetProperty("id").GetInt64()}"));
        Assert.Multiple(async () =>
        {
            Assert.That(report.GetProperty("segmentId").GetInt64(), Is.EqualTo(segmentId));
            Assert.That(report.GetProperty("issued").GetInt32(), Is.EqualTo(1));
            Assert.That(report.GetProperty("refused").GetInt32(), Is.EqualTo(1));
            Assert.That(await ApiServer.ScalarAsync<long>("SELECT COUNT(*) FROM member_coupons WHERE template_id = @templateId", new { templateId }), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Coupon_GrantedFromTheMembersPage_IsInTheMembersWallet()
    {
        var memberId = await NewMemberAsync();
        var title = "会员页发券 " + Guid.NewGuid().ToString("N")[..6];
        var templateId = await NewTemplateAsync(title, totalStock: null);
        var page = await SignedInAsync(await NewOperatorAsync("owner"));
        await page.GotoAsync($"/console/members/{memberId}");
        await page.ClickAsync("[data-test=grant-coupon]");
        await page.ClickAsync("[data-test=grant-template]");
        await page.Locator(".el-select-dropdown__item:visible", new() { HasText = title }).ClickAsync();
        await page.ClickAsync("[data-test=grant-submit]");
        await Expect(page.Locator("[data-test=grant-report]")).ToContainTextAsync("已发放 1 张");
        Assert.That(await ApiServer.ScalarAsync<long>(
            "SELECT COUNT(*) FROM member_coupons WHERE template_id = @templateId AND member_id = @memberId AND source = 'grant'", new { templateId, memberId }),
            Is.EqualTo(1));

        // Again: the per-member limit (1) refuses it, and the report gives the reason.
        await page.ClickAsync("[data-test=grant-submit]");
        await Expect(page.Locator("[data-test=grant-report]")).ToContainTextAsync("COUPON_LIMIT_REACHED");
    }

    [Test]
    public async Task Viewer_SeesTheOffersPages_ButEveryChangeIsDisabled_AndTheApiRefusesIt()
    {
        var title = "只读券 " + Guid.NewGuid().ToString("N")[..6];
        var templateId = await NewTemplateAsync(title, totalStock: 10);
        var page = await SignedInAsync(await NewOperatorAsync("viewer"));

        await page.ClickAsync("[data-nav=coupons]");
        await Expect(page.Locator("[data-test=coupons]")).ToContainTextAsync(title);
        await Expect(page.Locator("[data-test=new-coupon]")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-test=read-only]")).ToBeVisibleAsync();
        await page.GotoAsync($"/console/coupons/{templateId}");
        await Expect(page.Locator("[data-test=coupon-title]")).ToHaveTextAsync(title);
        await Expect(page.Locator("[data-test=coupon-stats]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-test=edit-coupon]")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-test=grant-members]")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-test=start-segment-grant]")).ToBeDisabledAsync();
        await page.ClickAsync("[data-nav=offer-programs]");
        await Expect(page.Locator("[data-test=sign-in-days] .el-table__row")).ToHaveCountAsync(7);
        await page.GotoAsync("/console/offer-programs?tab=mall");
        await Expect(page.Locator("[data-test=new-mall-item]")).ToBeDisabledAsync();
        await page.GotoAsync("/console/offer-programs?tab=draws");
        await Expect(page.Locator("[data-test=new-draw]")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-test=grant-chances]")).ToBeDisabledAsync();

        // The viewer's own session, CSRF token and all, straight at the API: 403 every time, and nothing changed.
        var session = JsonDocument.Parse(await (await page.APIRequest.GetAsync("/admin/session")).TextAsync()).RootElement;
        var headers = new Dictionary<string, string> { ["X-CSRF-Token"] = session.GetProperty("csrfToken").GetString()! };
        var body = new
        {
            title = "changed", kind = "amount_off", amountOffFen = 100, percentOff = 0, thresholdFen = 0, scope = "all", validDays = 7,
            perMemberLimit = 1, audience = "all", combinableWithTier = true, claimable = true, active = true,
        };
        var answers = new[]
        {
            await page.APIRequest.PostAsync("/admin/offers/coupon-templates", new() { Headers = headers, DataObject = body }),
            await page.APIRequest.PutAsync($"/admin/offers/coupon-templates/{templateId}", new() { Headers = headers, DataObject = body }),
            await page.APIRequest.PostAsync($"/admin/offers/coupon-templates/{templateId}/grants", new() { Headers = headers, DataObject = new { memberIds = new[] { 1 } } }),
            await page.APIRequest.PostAsync($"/admin/offers/coupon-templates/{templateId}/segment-grants", new() { Headers = headers, DataObject = new { segmentId = 1 } }),
        };
        foreach (var r in answers)
        {
            Assert.That(r.Status, Is.EqualTo(403), await r.TextAsync());
            Assert.That(JsonDocument.Parse(await r.TextAsync()).RootElement.GetProperty("code").GetString(), Is.EqualTo("PERMISSION_DENIED"));
        }
        Assert.That(await ApiServer.ScalarAsync<string>("SELECT title FROM coupon_templates WHERE id = @templateId", new { templateId }), Is.EqualTo(title));
        Assert.That(await ApiServer.ScalarAsync<long>("SELECT COUNT(*) FROM member_coupons WHERE template_id = @templateId", new { templateId }), Is.Zero);
    }

    /// <summary>Fills an Element Plus number input and leaves it, so the component takes the value.</summary>
    static async Task SetNumberAsync(ILocator input, string value)
    {
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }

    static Task<long> NewMemberAsync() => ApiServer.ScalarAsync<long>("""
        INSERT INTO members (invite_code, created_at, updated_at) VALUES (@invite, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)); SELECT LAST_INSERT_ID();
        """, new { invite = Guid.NewGuid().ToString("N")[..12] });

    public static async Task<long> NewTemplateAsync(string title, int? totalStock, long amountOffFen = 500, long thresholdFen = 0)
    {
        using var admin = ApiServer.CreateAdminClient();
        var created = await JsonAsync(await admin.PostAsJsonAsync("/admin/offers/coupon-templates", new
        {
            title, description = "", terms = "", kind = "amount_off", amountOffFen, percentOff = 0, thresholdFen, scope = "all", validDays = 30,
            totalStock, perMemberLimit = 1, audience = "all", combinableWithTier = true, claimable = true, active = true,
        }));
        return created.GetProperty("id").GetInt64();
    }

    /// <summary>A segment "has this new manual tag", the members tagged (their activity rows made first, as a login would).</summary>
    public static async Task<long> TaggedSegmentAsync(string name, IReadOnlyList<long> memberIds)
    {
        using var admin = ApiServer.CreateAdminClient();
        var tagId = (await JsonAsync(await admin.PostAsJsonAsync("/admin/tags", new { name = "tag " + Guid.NewGuid().ToString("N")[..8] }))).GetProperty("id").GetInt64();
        await using (var c = await ApiServer.Services.GetRequiredService<MySqlDataSource>().OpenConnectionAsync())
        await using (var tx = await c.BeginTransactionAsync())
        {
            await ApiServer.Services.GetRequiredService<IMemberActivity>().MembersChangedAsync(c, tx, memberIds, CancellationToken.None);
            await tx.CommitAsync();
        }
        foreach (var id in memberIds) (await admin.PostAsJsonAsync($"/admin/members/{id}/tags", new { tagId })).EnsureSuccessStatusCode();
        var segment = await JsonAsync(await admin.PostAsJsonAsync("/admin/segments", new { name, rule = new { field = "tag", op = "in", value = new[] { tagId } } }));
        return segment.GetProperty("id").GetInt64();
    }
}
