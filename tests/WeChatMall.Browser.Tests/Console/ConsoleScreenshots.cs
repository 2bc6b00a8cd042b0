using System.Net.Http.Json;
using Microsoft.Playwright;
using WeChatMall.Api.Tests.TestHost;
using static Microsoft.Playwright.Assertions;
using static WeChatMall.Browser.Tests.Console.ConsoleEnvironment;

namespace WeChatMall.Browser.Tests.Console;

/// <summary>
/// The screenshots of docs/console/, taken by scripts/screenshots.sh (CONSOLE_SCREENSHOTS_DIR set); skipped otherwise.
/// The data is made through the APIs first, so every page shows something.
/// </summary>
public sealed class ConsoleScreenshots
{
    [Test]
    public async Task MainPages()
    {
        var dir = Environment.GetEnvironmentVariable("CONSOLE_SCREENSHOTS_DIR");
        if (string.IsNullOrEmpty(dir)) Assert.Ignore("Set CONSOLE_SCREENSHOTS_DIR (scripts/screenshots.sh does) to take the console's screenshots.");
        Directory.CreateDirectory(dir);

        var orderNo = await ConsoleShop.PaidOrderAsync(priceFen: 12_800, title: "西湖龙井 明前特级 250g");
        await ConsoleShop.PaidOrderAsync(priceFen: 6_600, title: "安吉白茶 100g");
        using (var admin = ApiServer.CreateAdminClient())
        {
            await JsonAsync(await admin.PostAsJsonAsync("/admin/auto-replies", new
            {
                name = "欢迎语", trigger = "subscribe", replies = new[] { new { type = "text", content = "欢迎关注茶舍！回复“菜单”查看今日好茶。" } },
            }));
            await JsonAsync(await admin.PostAsJsonAsync("/admin/auto-replies", new
            {
                name = "营业时间", trigger = "keyword", matchType = "contains", pattern = "营业",
                replies = new[] { new { type = "text", content = "每天 9:00–21:00 营业。" } },
            }));
            await JsonAsync(await admin.PostAsJsonAsync("/admin/tiers", new
            {
                code = "gold", name = "金卡会员", rank = 2, minSpendFen = 100_000, discountBasisPoints = 500, pointsMultiplierPercent = 150,
            }));
            // Answers the printable codes as CSV.
            (await admin.PostAsJsonAsync("/admin/product-codes/batches", new { name = "龙井礼盒防伪码", points = 20, count = 50 })).EnsureSuccessStatusCode();
            await JsonAsync(await admin.PostAsJsonAsync("/admin/segments", new
            {
                name = "近 90 天消费满 50 元的金卡或老客",
                rule = new
                {
                    all = new object[]
                    {
                        new { field = "spendWithin", days = 90, op = ">=", value = 5_000 },
                        new { any = new object[] { new { field = "tier", op = "=", value = "gold" }, new { field = "paidOrders", op = ">=", value = 1 } } },
                    },
                },
            }));
            await JsonAsync(await admin.PostAsJsonAsync("/admin/tags", new { name = "老茶客", rule = (object?)null }));
            await JsonAsync(await admin.PostAsJsonAsync("/admin/tags", new { name = "下过单", rule = new { field = "paidOrders", op = ">=", value = 1 } }));
            await JsonAsync(await admin.PostAsJsonAsync("/admin/channels", new { name = "西湖门店收银台", kind = "store", scene = "store-xihu", permanent = true }));
            await JsonAsync(await admin.PostAsJsonAsync("/admin/channels", new { name = "双十一包裹卡", kind = "parcel_insert", scene = "parcel-1111", permanent = false, expireSeconds = 2_592_000 }));
            await JsonAsync(await admin.PutAsJsonAsync("/admin/channels/menu", new
            {
                button = new object[]
                {
                    new { type = "view", name = "逛商城", url = "https://shop.example.com/" },
                    new { name = "会员", sub_button = new object[] { new { type = "click", name = "签到", key = "SIGN_IN" }, new { type = "click", name = "我的积分", key = "POINTS" } } },
                    new { type = "click", name = "联系我们", key = "CONTACT" },
                },
            }));
            await JsonAsync(await admin.PostAsync("/admin/metrics/refresh", null));
        }

        var page = await SignedInAsync(await NewOperatorAsync("owner"));
        async Task Shot(string name, string url, string ready)
        {
            await page.GotoAsync(url);
            await Expect(page.Locator(ready).First).ToBeVisibleAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await page.WaitForTimeoutAsync(600); // charts and table transitions settle
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name + ".png") });
        }
        await Shot("dashboard", "/console/", "[data-test=kpi-orders]");
        await Shot("auto-replies", "/console/auto-replies", "[data-test=rules] .el-table__row");
        await page.FillAsync("input[data-test=test-text]", "请问营业时间");
        await page.ClickAsync("[data-test=test-run]");
        await Expect(page.Locator("[data-test=test-answer]")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(600); // the answer's tag fades in
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "auto-replies.png") });
        await Shot("orders", "/console/orders", "[data-test=orders] .el-table__row");
        await Shot("order-detail", $"/console/orders/{orderNo}", "[data-test=order-status]");
        await Shot("catalog", "/console/catalog", "[data-test=products] .el-table__row");
        await Shot("refunds", "/console/refunds", "[data-test=refunds]");
        await Shot("tiers", "/console/tiers", "[data-test=tiers] .el-table__row");
        await Shot("product-codes", "/console/product-codes", "[data-test=batches] .el-table__row");
        await Shot("operators", "/console/operators", "[data-test=operators] .el-table__row");
        await Shot("audit", "/console/audit", "[data-test=audit-entries] .el-table__row");
        await page.Locator("[data-test=audit-entries] .el-table__expand-icon").First.ClickAsync();
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "audit.png") });
        await Shot("segments", "/console/segments", "[data-test=segments] .el-table__row");
        await page.Locator("[data-test=segments] .el-table__row").First.GetByRole(AriaRole.Button).First.ClickAsync();
        await Expect(page.Locator("[data-test=live-count-value]")).ToBeVisibleAsync();
        await page.ClickAsync("[data-test=preview]");
        await page.WaitForTimeoutAsync(600);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "segments.png"), FullPage = true });
        await page.ClickAsync("#tab-tags");
        await Expect(page.Locator("[data-test=tags] .el-table__row").First).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "tags.png") });
        await Shot("channels", "/console/channels", "[data-test=channels] .el-table__row img");
        await page.ClickAsync("#tab-menu");
        await Expect(page.Locator("[data-test=menu-button]").First).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "menu.png") });
        await Shot("metrics", "/console/metrics", "[data-test=metrics] canvas");
        // The import report is the page's answer to an upload, so this one is uploaded through the page.
        await page.GotoAsync("/console/marketplace");
        await ConsoleMarketplaceTests.UploadAsync(page, ConsoleMarketplaceTests.TmallExport().File, "天猫订单报表-2025-03.csv");
        await Expect(page.Locator("[data-test=marketplace-orders] .el-table__row").First).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "marketplace.png"), FullPage = true });

        // offers: coupons (list, form, detail with a segment grant's report), sign-in settings, points mall, lucky draws
        long couponId;
        using (var admin = ApiServer.CreateAdminClient())
        {
            object Coupon(string title, string kind, long amountOffFen, long thresholdFen, int percentOff, long? maxDiscountFen, int? totalStock,
                string audience = "all", string? redeemCode = null) => new
                {
                    title, description = "全场通用，结算时自动抵扣", terms = "每单限用一张；退款后优惠券退回。", kind, amountOffFen, percentOff, maxDiscountFen,
                    thresholdFen, scope = "all", validDays = 30, totalStock, perMemberLimit = 1, audience, combinableWithTier = kind == "amount_off",
                    claimable = true, redeemCode, active = true,
                };
            couponId = (await JsonAsync(await admin.PostAsJsonAsync("/admin/offers/coupon-templates", Coupon("秋茶节 满 100 减 20", "amount_off", 2_000, 10_000, 0, null, 500))))
                .GetProperty("id").GetInt64();
            var newcomer = (await JsonAsync(await admin.PostAsJsonAsync("/admin/offers/coupon-templates",
                Coupon("新人 85 折券", "percent_off", 0, 0, 15, 3_000, null, "new_members")))).GetProperty("id").GetInt64();
            await JsonAsync(await admin.PostAsJsonAsync("/admin/offers/coupon-templates", Coupon("门店扫码 无门槛 5 元", "amount_off", 500, 0, 0, null, 1_000, redeemCode: "XIHU2026")));
            var segmentId = (await JsonAsync(await admin.GetAsync("/admin/segments"))).EnumerateArray()
                .First(x => x.GetProperty("name").GetString() == "近 90 天消费满 50 元的金卡或老客").GetProperty("id").GetInt64();
            var run = await JsonAsync(await admin.PostAsJsonAsync($"/admin/offers/coupon-templates/{couponId}/segment-grants", new { segmentId }));
            await Eventually.MatchAsync(async () => (await JsonAsync(await admin.GetAsync($"/admin/offers/segment-grants/{run.GetProperty("id").GetInt64()}")))
                .GetProperty("status").GetString(), s => s == "done", 30_000);
            var skuId = await ConsoleShop.NewSkuAsync("积分兑换 茶具套装", 9_900, stock: 30);
            await JsonAsync(await admin.PostAsJsonAsync("/admin/offers/mall-items", new
            {
                title = "300 积分换 85 折券", kind = "coupon", couponTemplateId = newcomer, pointsPrice = 300, perMemberLimit = 1, active = true,
            }));
            await JsonAsync(await admin.PostAsJsonAsync("/admin/offers/mall-items", new
            {
                title = "茶具套装", kind = "product", skuId, pointsPrice = 5_000, perMemberLimit = 1, active = true,
            }));
            await JsonAsync(await admin.PostAsJsonAsync("/admin/offers/draws", new
            {
                title = "周五茶友福利抽奖", dailyLimit = 3, pointsPerDraw = 20,
                prizes = new object[]
                {
                    new { title = "100 积分", kind = "points", points = 100, weight = 20, stock = 50 },
                    new { title = "满 100 减 20 券", kind = "coupon", couponTemplateId = couponId, weight = 10, stock = 20 },
                    new { title = "谢谢参与", kind = "none", weight = 70 },
                },
            }));
        }
        await Shot("coupons", "/console/coupons", "[data-test=coupons] .el-table__row");
        await page.ClickAsync("[data-test=new-coupon]");
        await Expect(page.Locator("[data-test=coupon-form]")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(600);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "coupon-form.png") });
        await Shot("coupon-detail", $"/console/coupons/{couponId}", "[data-test=segment-grant-run] [data-test=run-status]");
        // The layout scrolls inside its main area, so the segment grant's report gets a shot of its own.
        await page.Locator("[data-test=segment-grant-runs]").ScrollIntoViewIfNeededAsync();
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "coupon-segment-grant.png") });
        await Shot("offers-sign-in", "/console/offer-programs?tab=sign-in", "[data-test=sign-in-days] .el-table__row");
        await Shot("offers-mall", "/console/offer-programs?tab=mall", "[data-test=mall-items] .el-table__row");
        await Shot("offers-draws", "/console/offer-programs?tab=draws", "[data-test=draws] .el-table__row");
        // end of offers
        var signIn = await NewPageAsync();
        await signIn.ScreenshotAsync(new() { Path = Path.Combine(dir, "sign-in.png") });
    }

    [Test]
    public async Task CampaignAndFollowerPages()
    {
        var dir = Environment.GetEnvironmentVariable("CONSOLE_SCREENSHOTS_DIR");
        if (string.IsNullOrEmpty(dir)) Assert.Ignore("Set CONSOLE_SCREENSHOTS_DIR (scripts/screenshots.sh does) to take the console's screenshots.");
        Directory.CreateDirectory(dir);

        using var admin = ApiServer.CreateAdminClient();
        var store = await JsonAsync(await admin.PostAsJsonAsync("/admin/channels", new { name = "西湖门店收银台", kind = "store", scene = "store-xihu-2", permanent = true }));
        var members = new List<long>();
        for (var i = 0; i < 3; i++) members.Add((await ConsoleCampaignTests.FollowingMemberAsync(store.GetProperty("scene").GetString())).MemberId);
        members.Add((await ConsoleCampaignTests.FollowingMemberAsync("parcel-1111-2")).MemberId);
        var segmentName = await ConsoleCampaignTests.SegmentOfAsync([.. members]);
        var segmentId = await ApiServer.ScalarAsync<long>("SELECT id FROM audience_segments WHERE name = @segmentName", new { segmentName });
        await JsonAsync(await admin.PostAsync("/admin/campaigns/templates/sync", null));
        var content = new
        {
            template = new { templateId = "tmpl_points_expiring_01", data = new Dictionary<string, string> { ["thing1"] = "{nickname}会员", ["number2"] = "{points}", ["date3"] = "2026-12-31" } },
            text = "{nickname}，您有 {points} 积分将于年底到期，回复“积分”查看可兑换的好茶。",
        };
        var sent = await JsonAsync(await admin.PostAsJsonAsync("/admin/campaigns", new
        {
            name = "年底积分到期提醒", segmentId, channels = new[] { "template", "text" }, content,
        }));
        var sentId = sent.GetProperty("id").GetInt64();
        await JsonAsync(await admin.PostAsync($"/admin/campaigns/{sentId}/start", null));
        await JsonAsync(await admin.PostAsJsonAsync("/admin/campaigns", new
        {
            name = "双十二新茶预告", segmentId, channels = new[] { "text" }, content = new { text = "{nickname}，双十二新茶预告：明前龙井限量到店。" },
            sendAt = DateTimeOffset.UtcNow.AddDays(5), quietStart = "22:00", quietEnd = "08:00",
        }));

        var page = await SignedInAsync(await NewOperatorAsync("owner"));
        async Task Shot(string name, string url, string ready)
        {
            await page.GotoAsync(url);
            await Expect(page.Locator(ready).First).ToBeVisibleAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await page.WaitForTimeoutAsync(600);
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name + ".png") });
        }
        await page.GotoAsync($"/console/campaigns/{sentId}");
        await Expect(page.Locator("[data-test=campaign-status]")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 60_000 });
        await page.WaitForTimeoutAsync(600);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "campaign-results.png"), FullPage = true });
        await Shot("campaigns", "/console/campaigns", "[data-test=campaigns] .el-table__row");
        await page.ClickAsync("[data-test=new-campaign]");
        var dialog = page.Locator("[data-test=campaign-dialog]");
        await dialog.Locator("input[name=campaignName]").FillAsync("会员日积分提醒");
        await page.Locator("[data-test=campaign-segment]").ClickAsync();
        await page.Locator(".el-select-dropdown__item:visible", new() { HasText = segmentName }).First.ClickAsync();
        await page.Locator("[data-test=campaign-channels]").ClickAsync();
        await page.Locator(".el-select-dropdown__item:visible", new() { HasText = "公众号模板消息" }).First.ClickAsync();
        await page.Locator(".el-select-dropdown__item:visible", new() { HasText = "客服消息" }).First.ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await page.Locator("[data-test=campaign-template]").ClickAsync();
        await page.Locator(".el-select-dropdown__item:visible", new() { HasText = "tmpl_points_expiring_01" }).First.ClickAsync();
        await dialog.Locator("input[data-field=thing1]").FillAsync("{nickname}会员，您的积分即将到期，请尽快使用");
        await dialog.Locator("input[data-field=number2]").FillAsync("{points}");
        await dialog.Locator("input[data-field=date3]").FillAsync("2026-12-31");
        await dialog.Locator("textarea[data-test=message-text]").FillAsync("{nickname}，会员日全场 9 折！");
        await dialog.Locator("[data-test=save-campaign]").ClickAsync();
        await Expect(dialog.Locator("[data-test=campaign-errors]")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "campaign-new.png"), FullPage = true });
        await page.Keyboard.PressAsync("Escape");
        await page.ClickAsync("#tab-templates");
        await Expect(page.Locator("[data-test=templates] .el-table__row").First).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "campaign-templates.png") });
        await Shot("followers", "/console/followers", "[data-test=followers] .el-table__row");
        await MassAndRecurringCampaignShotsAsync(page, dir);
    }

    // A mass send by WeChat tag refused in the page (a placeholder), a news card with a coupon on a schedule the API
    // refuses, the recurring campaign once started, and a mass campaign's results with WeChat's report and an unfollow.
    static async Task MassAndRecurringCampaignShotsAsync(IPage page, string dir)
    {
        using var admin = ApiServer.CreateAdminClient();
        var people = new List<(long MemberId, string OaOpenId)>();
        for (var i = 0; i < 3; i++) people.Add(await ConsoleCampaignTests.FollowingMemberAsync());
        var segmentName = await ConsoleCampaignTests.SegmentOfAsync([.. people.Select(p => p.MemberId)]);
        var segmentId = await ApiServer.ScalarAsync<long>("SELECT id FROM audience_segments WHERE name = @segmentName", new { segmentName });
        var tagId = await ApiServer.ScalarAsync<long>("SELECT id FROM audience_tags WHERE name = @n", new { n = "t-" + segmentName });
        await JsonAsync(await admin.PostAsync($"/admin/tags/{tagId}/wechat-sync", null));
        var couponTitle = "会员日满 100 减 20 元券";
        await ConsoleOffersTests.NewTemplateAsync(couponTitle, 500, amountOffFen: 2000, thresholdFen: 10000);

        var mass = await JsonAsync(await admin.PostAsJsonAsync("/admin/campaigns", new
        {
            name = "年终会员日群发", segmentId, channels = new[] { "mass" }, content = new { mass = new { text = "年终会员日：全场 8 折，12 月 31 日截止。" } },
        }));
        var massId = mass.GetProperty("id").GetInt64();
        await JsonAsync(await admin.PostAsync($"/admin/campaigns/{massId}/start", null));
        await Eventually.MatchAsync(async () => (await JsonAsync(await admin.GetAsync($"/admin/campaigns/{massId}/results"))).GetProperty("mass").GetProperty("reported").GetInt32(),
            v => v == 1, 30_000);
        (await WeChatSandbox.Client.PostAsJsonAsync($"/sandbox/followers/{people[2].OaOpenId}/unsubscribe", new { })).EnsureSuccessStatusCode();
        await Eventually.MatchAsync(async () => (await JsonAsync(await admin.GetAsync($"/admin/campaigns/{massId}/results"))).GetProperty("unfollowedAfterSend").GetInt64(),
            v => v == 1, 15_000);
        await page.GotoAsync($"/console/campaigns/{massId}");
        await Expect(page.Locator("[data-test=mass-job-list] .el-table__row").First).ToBeVisibleAsync();
        await page.Locator("[data-test=campaign-results]").EvaluateAsync("e => e.scrollIntoView()");
        await page.WaitForTimeoutAsync(600);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "campaign-mass-results.png"), FullPage = true });

        async Task<ILocator> NewAsync(string name, string channel)
        {
            await page.GotoAsync("/console/campaigns");
            await page.ClickAsync("[data-test=new-campaign]");
            var dialog = page.Locator("[data-test=campaign-dialog]");
            await dialog.Locator("input[name=campaignName]").FillAsync(name);
            await page.Locator("[data-test=campaign-segment]").ClickAsync();
            await page.Locator(".el-select-dropdown__item:visible", new() { HasText = segmentName }).First.ClickAsync();
            await page.Locator("[data-test=campaign-channels]").ClickAsync();
            await page.Locator(".el-select-dropdown__item:visible", new() { HasText = channel }).First.ClickAsync();
            await page.Keyboard.PressAsync("Escape");
            return dialog;
        }

        var form = await NewAsync("会员日群发（按标签）", "群发");
        await form.Locator("[data-test=mass-by-tag]").ClickAsync();
        await page.Locator("[data-test=mass-tag]").ClickAsync();
        await page.Locator(".el-select-dropdown__item:visible", new() { HasText = "t-" + segmentName }).First.ClickAsync();
        await form.Locator("textarea[data-test=mass-text]").FillAsync("{nickname}，年终会员日全场 8 折！");
        await form.Locator("[data-test=save-campaign]").ClickAsync();
        await Expect(form.Locator("[data-path='mass.text'] .el-form-item__error")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "campaign-new-mass.png"), FullPage = true });

        form = await NewAsync("每周一会员日送券", "客服消息");
        await form.Locator("[data-test=custom-news]").ClickAsync();
        await form.Locator("input[name=newsTitle]").FillAsync("{nickname}，{coupon}已到账");
        await form.Locator("textarea[name=newsDescription]").FillAsync("本周会员日专享，周日 24 点前有效。");
        await form.Locator("input[name=newsUrl]").FillAsync("https://shop.example.com/coupons");
        await page.Locator("[data-test=campaign-coupon]").ClickAsync();
        await page.Locator(".el-select-dropdown__item:visible", new() { HasText = couponTitle }).First.ClickAsync();
        await form.Locator("[data-test=send-recurring]").ClickAsync();
        await form.Locator("input[name=cron]").FillAsync("*/10 * * * *");
        await form.Locator("[data-test=save-campaign]").ClickAsync();
        await Expect(form.Locator("[data-path='recurrence.cron'] .el-form-item__error")).ToContainTextAsync("CAMPAIGN_CRON_TOO_FREQUENT");
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "campaign-new-news.png"), FullPage = true });

        await form.Locator("input[name=cron]").FillAsync("0 10 * * 1");
        await form.Locator("[data-test=save-campaign]").ClickAsync();
        await page.ClickAsync("[data-test=campaign-start]");
        await Expect(page.Locator("[data-test=campaign-status]")).ToHaveAttributeAsync("data-status", "recurring");
        await Expect(page.Locator("[data-test=next-run]")).Not.ToHaveTextAsync("—");
        await page.WaitForTimeoutAsync(3_500); // the "done" message fades
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "campaign-recurring.png"), FullPage = true });
    }

    [Test]
    public async Task JourneyAndMemberPages()
    {
        var dir = Environment.GetEnvironmentVariable("CONSOLE_SCREENSHOTS_DIR");
        if (string.IsNullOrEmpty(dir)) Assert.Ignore("Set CONSOLE_SCREENSHOTS_DIR (scripts/screenshots.sh does) to take the console's screenshots.");
        Directory.CreateDirectory(dir);

        using var admin = ApiServer.CreateAdminClient();
        await JsonAsync(await admin.PostAsync("/admin/campaigns/templates/sync", null));
        var tagId = (await JsonAsync(await admin.PostAsJsonAsync("/admin/tags", new { name = "新关注 " + Guid.NewGuid().ToString("N")[..4] }))).GetProperty("id").GetInt64();
        // An active welcome journey that two followers enter: the detail page then shows each step's results.
        var welcome = (await JsonAsync(await admin.PostAsJsonAsync("/admin/journeys", new
        {
            name = "新粉丝欢迎旅程", trigger = new { type = "followed" }, goal = new { type = "bought" },
            steps = new object[]
            {
                new { type = "send", channels = new[] { "text" }, content = new { text = "{nickname}，欢迎关注茶舍！首单满 100 减 20。" } },
                new { type = "add_tag", tagId },
                new { type = "wait", days = 3, until = "10:00" },
                new { type = "branch", condition = new { type = "bought_since_entry" }, onTrue = 5 },
                new { type = "grant_points", points = 100 },
            },
        }))).GetProperty("id").GetInt64();
        await JsonAsync(await admin.PostAsync($"/admin/journeys/{welcome}/activate", null));
        await JsonAsync(await admin.PostAsJsonAsync("/admin/journeys", new
        {
            name = "30 天未购唤醒", trigger = new { type = "no_purchase", days = 30 },
            steps = new object[] { new { type = "send", channels = new[] { "text" }, content = new { text = "{nickname}，好久不见，新茶已到店。" } } },
        }));
        await ConsoleCampaignTests.FollowingMemberAsync();
        await ConsoleCampaignTests.FollowingMemberAsync();
        await Eventually.MatchAsync(() => ApiServer.ScalarAsync<long>(
            "SELECT COUNT(*) FROM journey_members WHERE journey_id = @welcome AND step = 2", new { welcome }), n => n == 2, 30_000);

        // The member page with a subscribe credit the shop reported.
        var code = (await JsonAsync(await WeChatSandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/codes", new { openId = "o_mp_" + Guid.NewGuid().ToString("N")[..20] })))
            .GetProperty("code").GetString();
        using var shop = ApiServer.CreateClient();
        var login = await JsonAsync(await shop.PostAsJsonAsync("/api/auth/login", new { code }));
        shop.DefaultRequestHeaders.Authorization = new("Bearer", login.GetProperty("token").GetString());
        await JsonAsync(await shop.PostAsJsonAsync("/api/me/subscribe-results", new
        {
            requestId = "prompt-" + Guid.NewGuid().ToString("N")[..12],
            results = new Dictionary<string, string> { ["sub_activity_0001"] = "accept", ["sub_order_shipped_0001"] = "accept" },
        }));

        var page = await SignedInAsync(await NewOperatorAsync("owner"));
        async Task Shot(string name, string url, string ready, bool fullPage = false)
        {
            await page.GotoAsync(url);
            await Expect(page.Locator(ready).First).ToBeVisibleAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await page.WaitForTimeoutAsync(600);
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name + ".png"), FullPage = fullPage });
        }
        await Shot("journeys", "/console/journeys", "[data-test=journeys] .el-table__row");
        await Shot("journey-detail", $"/console/journeys/{welcome}", "[data-test=journey-steps] .el-table__row");
        await Shot("journey-form", $"/console/journeys/{welcome}/edit", "[data-test=step-4]");
        await Shot("member-detail", $"/console/members/{login.GetProperty("memberId").GetInt64()}", "[data-test=credit-balance]");
    }
}
