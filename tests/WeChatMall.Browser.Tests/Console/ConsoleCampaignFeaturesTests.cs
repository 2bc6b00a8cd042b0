using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WeChatMall.Api.Tests.TestHost;
using static Microsoft.Playwright.Assertions;
using static WeChatMall.Browser.Tests.Console.ConsoleEnvironment;

namespace WeChatMall.Browser.Tests.Console;

/// <summary>
/// The campaign features beyond a one-off template message, made through the console's form and read back from the
/// API: a recurring campaign, a mass send to a WeChat tag, a customer-service news card granting a coupon; the API's
/// refusal shown at the field it names; and a mass campaign's results (WeChat's MASSSENDJOBFINISH figures, unfollows).
/// </summary>
public sealed class ConsoleCampaignFeaturesTests
{
    static async Task PickAsync(IPage page, string select, string option)
    {
        await page.Locator(select).ClickAsync();
        await page.Locator(".el-select-dropdown__item:visible", new() { HasText = option }).First.ClickAsync();
    }

    /// <summary>Opens the form and fills name, segment and the one channel.</summary>
    static async Task<ILocator> NewCampaignAsync(IPage page, string name, string segment, string channel)
    {
        await page.ClickAsync("[data-nav=campaigns]");
        await page.ClickAsync("[data-test=new-campaign]");
        var dialog = page.Locator("[data-test=campaign-dialog]");
        await dialog.Locator("input[name=campaignName]").FillAsync(name);
        await PickAsync(page, "[data-test=campaign-segment]", segment);
        await PickAsync(page, "[data-test=campaign-channels]", channel);
        await page.Keyboard.PressAsync("Escape"); // closes the multi-select's list, not the dialog
        return dialog;
    }

    static ILocator FieldError(ILocator dialog, string path) => dialog.Locator($"[data-path='{path}'] .el-form-item__error");

    static async Task<JsonElement> CampaignNamedAsync(string name)
    {
        var id = await Eventually.MatchAsync(() => ApiServer.ScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM campaigns WHERE name = @name", new { name }),
            v => v > 0, 15_000);
        using var admin = ApiServer.CreateAdminClient();
        return await JsonAsync(await admin.GetAsync($"/admin/campaigns/{id}"));
    }

    [Test]
    public async Task Marketer_MakesRecurring_MassByTag_AndNewsCardWithCoupon_Campaigns_AndTheApiHasThemAsEntered()
    {
        var a = await ConsoleCampaignTests.FollowingMemberAsync();
        var b = await ConsoleCampaignTests.FollowingMemberAsync();
        var segment = await ConsoleCampaignTests.SegmentOfAsync(a.MemberId, b.MemberId);
        var tagId = await ApiServer.ScalarAsync<long>("SELECT id FROM audience_tags WHERE name = @n", new { n = "t-" + segment });
        using (var admin = ApiServer.CreateAdminClient())
            await JsonAsync(await admin.PostAsync($"/admin/tags/{tagId}/wechat-sync", null));
        var couponTitle = "会员日券 " + Guid.NewGuid().ToString("N")[..6];
        var couponId = await ConsoleOffersTests.NewTemplateAsync(couponTitle, 100);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var page = await SignedInAsync(await NewOperatorAsync("marketer"));

        // A recurring campaign: every Monday 10:00 China time.
        var recurring = "每周会员日 " + suffix;
        var dialog = await NewCampaignAsync(page, recurring, segment, "客服消息");
        await dialog.Locator("textarea[data-test=message-text]").FillAsync("{nickname}，本周会员日开始啦");
        await dialog.Locator("[data-test=send-recurring]").ClickAsync();
        await dialog.Locator("input[name=cron]").FillAsync("0 10 * * 1");
        await dialog.Locator("[data-test=save-campaign]").ClickAsync();
        await Expect(page.Locator("[data-test=campaign-recurrence]")).ToContainTextAsync("0 10 * * 1");
        var r = await CampaignNamedAsync(recurring);

        // A mass send to the WeChat tag the segment's tag was synced to.
        var mass = "群发 " + suffix;
        dialog = await NewCampaignAsync(page, mass, segment, "群发");
        await dialog.Locator("[data-test=mass-by-tag]").ClickAsync();
        await PickAsync(page, "[data-test=mass-tag]", "t-" + segment);
        await dialog.Locator("textarea[data-test=mass-text]").FillAsync("{nickname}，会员日全场 9 折");
        await dialog.Locator("[data-test=save-campaign]").ClickAsync();
        // A mass send is one message for all: the page refuses the placeholder before asking the API.
        await Expect(FieldError(dialog, "mass.text")).ToContainTextAsync("{nickname}");
        await dialog.Locator("textarea[data-test=mass-text]").FillAsync("会员日全场 9 折");
        await dialog.Locator("[data-test=save-campaign]").ClickAsync();
        await Expect(page.Locator("[data-test=content-mass]")).ToContainTextAsync($"#{tagId}");
        var m = await CampaignNamedAsync(mass);

        // A customer-service news card naming the coupon each recipient is granted.
        var news = "图文送券 " + suffix;
        dialog = await NewCampaignAsync(page, news, segment, "客服消息");
        await dialog.Locator("[data-test=custom-news]").ClickAsync();
        await dialog.Locator("input[name=newsTitle]").FillAsync("{nickname}，{coupon}已到账");
        await dialog.Locator("textarea[name=newsDescription]").FillAsync("本周日前有效");
        await dialog.Locator("input[name=newsUrl]").FillAsync("http://shop.example.com/coupons");
        await dialog.Locator("[data-test=save-campaign]").ClickAsync();
        // The page's own checks, at their fields: an https link, and {coupon} needs a coupon.
        await Expect(FieldError(dialog, "text.news.url")).ToContainTextAsync("https://");
        await Expect(FieldError(dialog, "couponTemplateId")).ToContainTextAsync("{coupon}");
        await dialog.Locator("input[name=newsUrl]").FillAsync("https://shop.example.com/coupons");
        await PickAsync(page, "[data-test=campaign-coupon]", couponTitle);
        await dialog.Locator("[data-test=save-campaign]").ClickAsync();
        await Expect(page.Locator("[data-test=content-news]")).ToContainTextAsync("{coupon}已到账");
        var n = await CampaignNamedAsync(news);

        Assert.Multiple(() =>
        {
            Assert.That(r.GetProperty("recurrence").GetProperty("cron").GetString(), Is.EqualTo("0 10 * * 1"));
            Assert.That(r.GetProperty("channels").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "text" }));
            Assert.That(r.GetProperty("content").GetProperty("text").GetString(), Is.EqualTo("{nickname}，本周会员日开始啦"));
            Assert.That(r.GetProperty("sendAt").ValueKind, Is.EqualTo(JsonValueKind.Null));

            Assert.That(m.GetProperty("channels").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "mass" }));
            Assert.That(m.GetProperty("content").GetProperty("mass").GetProperty("tagId").GetInt64(), Is.EqualTo(tagId));
            Assert.That(m.GetProperty("content").GetProperty("mass").GetProperty("text").GetString(), Is.EqualTo("会员日全场 9 折"));
            Assert.That(m.GetProperty("recurrence").ValueKind, Is.EqualTo(JsonValueKind.Null));

            var card = n.GetProperty("content").GetProperty("news");
            Assert.That(card.GetProperty("title").GetString(), Is.EqualTo("{nickname}，{coupon}已到账"));
            Assert.That(card.GetProperty("description").GetString(), Is.EqualTo("本周日前有效"));
            Assert.That(card.GetProperty("url").GetString(), Is.EqualTo("https://shop.example.com/coupons"));
            Assert.That(n.GetProperty("content").GetProperty("text").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(n.GetProperty("couponTemplateId").GetInt64(), Is.EqualTo(couponId));
        });
    }

    [Test]
    public async Task ApiRefusal_IsShownWithItsCode_AtTheFieldItNames_AndNothingIsSaved()
    {
        var member = await ConsoleCampaignTests.FollowingMemberAsync();
        var segment = await ConsoleCampaignTests.SegmentOfAsync(member.MemberId);
        var name = "每十分钟 " + Guid.NewGuid().ToString("N")[..6];
        var page = await SignedInAsync(await NewOperatorAsync("marketer"));

        var dialog = await NewCampaignAsync(page, name, segment, "客服消息");
        await dialog.Locator("textarea[data-test=message-text]").FillAsync("{nickname}，限时秒杀");
        await dialog.Locator("[data-test=send-recurring]").ClickAsync();
        // Five fields, so the page lets it through; the API refuses a schedule more often than hourly.
        await dialog.Locator("input[name=cron]").FillAsync("*/10 * * * *");
        await dialog.Locator("[data-test=save-campaign]").ClickAsync();
        var error = FieldError(dialog, "recurrence.cron");
        await Expect(error).ToContainTextAsync("CAMPAIGN_CRON_TOO_FREQUENT");
        await Expect(error).ToContainTextAsync("10 minutes apart");
        await Expect(dialog.Locator("[data-test=campaign-errors]")).ToContainTextAsync("CAMPAIGN_CRON_TOO_FREQUENT");
        Assert.That(await ApiServer.ScalarAsync<long>("SELECT COUNT(*) FROM campaigns WHERE name = @name", new { name }), Is.Zero);

        await dialog.Locator("input[name=cron]").FillAsync("0 * * * *");
        await dialog.Locator("[data-test=save-campaign]").ClickAsync();
        await Expect(page.Locator("[data-test=campaign-recurrence]")).ToContainTextAsync("0 * * * *");
        Assert.That((await CampaignNamedAsync(name)).GetProperty("recurrence").GetProperty("cron").GetString(), Is.EqualTo("0 * * * *"));
    }

    [Test]
    public async Task MassCampaignResults_ShowWeChatsReport_AndWhoUnfollowedAfterTheSend()
    {
        var a = await ConsoleCampaignTests.FollowingMemberAsync();
        var b = await ConsoleCampaignTests.FollowingMemberAsync();
        var segment = await ConsoleCampaignTests.SegmentOfAsync(a.MemberId, b.MemberId);
        var segmentId = await ApiServer.ScalarAsync<long>("SELECT id FROM audience_segments WHERE name = @segment", new { segment });
        using var admin = ApiServer.CreateAdminClient();
        var created = await JsonAsync(await admin.PostAsJsonAsync("/admin/campaigns", new
        {
            name = "群发结果 " + Guid.NewGuid().ToString("N")[..6], segmentId, channels = new[] { "mass" }, content = new { mass = new { text = "年终会员日，全场 8 折" } },
        }));
        var id = created.GetProperty("id").GetInt64();
        await JsonAsync(await admin.PostAsync($"/admin/campaigns/{id}/start", null));
        // The sandbox answers the mass call, then posts MASSSENDJOBFINISH to the callback.
        await Eventually.MatchAsync(async () => (await JsonAsync(await admin.GetAsync($"/admin/campaigns/{id}/results"))).GetProperty("mass").GetProperty("reported").GetInt32(),
            v => v == 1, 30_000);
        (await WeChatSandbox.Client.PostAsJsonAsync($"/sandbox/followers/{b.OaOpenId}/unsubscribe", new { })).EnsureSuccessStatusCode();
        await Eventually.MatchAsync(async () => (await JsonAsync(await admin.GetAsync($"/admin/campaigns/{id}/results"))).GetProperty("unfollowedAfterSend").GetInt64(),
            v => v == 1, 15_000);

        var page = await SignedInAsync(await NewOperatorAsync("viewer"));
        await page.GotoAsync($"/console/campaigns/{id}");
        await Expect(page.Locator("[data-test=campaign-status]")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-test=result-mass]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-test=mass-jobs]")).ToContainTextAsync("1");
        await Expect(page.Locator("[data-test=mass-submitted]")).ToContainTextAsync("2");
        await Expect(page.Locator("[data-test=mass-reported]")).ToContainTextAsync("1");
        await Expect(page.Locator("[data-test=mass-sent]")).ToContainTextAsync("2");
        await Expect(page.Locator("[data-test=mass-job-list]")).ToContainTextAsync($"c{id}k");
        await Expect(page.Locator("[data-test=mass-job-list]")).ToContainTextAsync("Sent 2");
        await Expect(page.Locator("[data-test=result-unfollowed]")).ToContainTextAsync("1");
        await Expect(page.Locator("[data-test=result-channels]")).ToContainTextAsync("群发");
        // A viewer changes nothing.
        await Expect(page.Locator("[data-test=test-send]")).ToBeDisabledAsync();

        // A marketer's test send of a mass campaign is WeChat's preview to that one member, outside the month's four.
        var marketer = await SignedInAsync(await NewOperatorAsync("marketer"));
        await marketer.GotoAsync($"/console/campaigns/{id}");
        await Expect(marketer.Locator("[data-test=campaign-detail]")).ToContainTextAsync("微信预览");
        await marketer.FillAsync("[data-test=test-member] input", a.MemberId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await marketer.ClickAsync("[data-test=test-send]");
        await Expect(marketer.Locator("[data-test=test-answer]")).ToContainTextAsync(a.MemberId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var received = await JsonAsync(await WeChatSandbox.Client.GetAsync($"/sandbox/messages?openid={a.OaOpenId}"));
        Assert.That(received.EnumerateArray().Count(m => m.GetProperty("kind").GetString() == "mass_preview"), Is.EqualTo(1));
    }
}
