using System.Net;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Offers.OfferTestData;

namespace WeChatMall.Api.Tests.Features.Offers;

/// <summary>The admin routes the console's offer pages need besides create and get: lists, edits, the sign-in settings.</summary>
public sealed class OfferAdminConsoleRoutesTests
{
    static ApiFactory Api => TestEnvironment.Api;

    [Test]
    public async Task Draws_AreListedWithTheirPrizes_AndCanBeSwitchedOff()
    {
        using var admin = Api.CreateAdminClient();
        var title = "weekly " + Guid.NewGuid().ToString("N")[..6];
        var created = await ReadAsync(await admin.PostAsJsonAsync("/admin/offers/draws", new
        {
            title, dailyLimit = 3, pointsPerDraw = 10,
            prizes = new object[] { new { title = "100 points", kind = "points", points = 100, weight = 1, stock = 5 }, new { title = "thanks", kind = "none", weight = 9 } },
        }));
        var id = created.GetProperty("id").GetInt64();

        var list = await ReadAsync(await admin.GetAsync("/admin/offers/draws"));
        var listed = list.EnumerateArray().Single(d => d.GetProperty("id").GetInt64() == id);
        var off = await admin.PutAsJsonAsync($"/admin/offers/draws/{id}/active", new { active = false });
        var missing = await admin.PutAsJsonAsync("/admin/offers/draws/999999999/active", new { active = false });

        Assert.Multiple(async () =>
        {
            Assert.That(listed.GetProperty("title").GetString(), Is.EqualTo(title));
            Assert.That(listed.GetProperty("prizes").EnumerateArray().Select(p => p.GetProperty("title").GetString()), Is.EqualTo(new[] { "100 points", "thanks" }));
            Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.OK), await off.Content.ReadAsStringAsync());
            Assert.That(await Api.ScalarAsync<bool>("SELECT active FROM draws WHERE id = @id", new { id }), Is.False);
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await ReadAsync(missing)).GetProperty("code").GetString(), Is.EqualTo("DRAW_NOT_FOUND"));
        });
    }

    [Test]
    public async Task MallItem_Edit_ChangesPriceLimitAndActive_ButNotWhatItGives_AndTheListShowsTheStockLeft()
    {
        var templateId = await NewTemplateAsync(Api, Template(totalStock: 10));
        using var admin = Api.CreateAdminClient();
        var item = await ReadAsync(await admin.PostAsJsonAsync("/admin/offers/mall-items",
            new { title = "5 yuan off", kind = "coupon", couponTemplateId = templateId, pointsPrice = 300, perMemberLimit = 2, active = true }));
        var id = item.GetProperty("id").GetInt64();

        var edit = await admin.PutAsJsonAsync($"/admin/offers/mall-items/{id}", new { title = "5 yuan off, cheaper", pointsPrice = 200, perMemberLimit = 3, active = false });
        var edited = await ReadAsync(edit);
        var invalid = await admin.PutAsJsonAsync($"/admin/offers/mall-items/{id}", new { title = "x", pointsPrice = 0, perMemberLimit = 3, active = true });
        var listed = (await ReadAsync(await admin.GetAsync("/admin/offers/mall-items"))).EnumerateArray().Single(i => i.GetProperty("id").GetInt64() == id);
        var missing = await admin.PutAsJsonAsync("/admin/offers/mall-items/999999999", new { title = "x", pointsPrice = 1, perMemberLimit = 1, active = true });

        Assert.Multiple(async () =>
        {
            Assert.That(edit.StatusCode, Is.EqualTo(HttpStatusCode.OK), edited.ToString());
            Assert.That(edited.GetProperty("title").GetString(), Is.EqualTo("5 yuan off, cheaper"));
            Assert.That(edited.GetProperty("pointsPrice").GetInt64(), Is.EqualTo(200));
            Assert.That(edited.GetProperty("perMemberLimit").GetInt32(), Is.EqualTo(3));
            Assert.That(edited.GetProperty("active").GetBoolean(), Is.False);
            Assert.That(edited.GetProperty("couponTemplateId").GetInt64(), Is.EqualTo(templateId));
            Assert.That(listed.GetProperty("stockLeft").GetInt64(), Is.EqualTo(10), "the template's stock, none issued yet");
            Assert.That(listed.GetProperty("title").GetString(), Is.EqualTo("5 yuan off, cheaper"));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_price FROM mall_items WHERE id = @id", new { id }), Is.EqualTo(200));
            Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await ReadAsync(missing)).GetProperty("code").GetString(), Is.EqualTo("MALL_ITEM_NOT_FOUND"));
        });
    }

    [Test]
    public async Task SignInSettings_ListEveryDayOfTheCycle_WithItsReward()
    {
        using var admin = Api.CreateAdminClient();
        var settings = await ReadAsync(await admin.GetAsync("/admin/offers/sign-in-settings"));
        var cycle = settings.GetProperty("cycleDays").GetInt32();
        var days = settings.GetProperty("days").EnumerateArray().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(cycle, Is.EqualTo(7), "the default cycle (Offers:SignInCycleDays)");
            Assert.That(days.Select(d => d.GetProperty("day").GetInt32()), Is.EqualTo(Enumerable.Range(1, cycle)));
            Assert.That(days.Select(d => d.GetProperty("points").GetInt64()), Is.All.EqualTo(settings.GetProperty("dailyPoints").GetInt64()));
        });
    }
}
