using System.Net;
using WeChatMall.Api.Tests.Features.Offers;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Campaigns.CampaignPeople;

namespace WeChatMall.Api.Tests.Features.Campaigns;

/// <summary>{coupon}: a coupon granted to each recipient once, at send time, through Offers; a refused grant skips the recipient.</summary>
[NonParallelizable]
public sealed class CampaignCouponTests
{
    static ApiFactory Api => CampaignsEnvironment.Api;

    [Test]
    public async Task Coupon_GrantedOncePerRecipient_EvenWhenTheSendIsRetried()
    {
        var p = await NewMemberAsync();
        await WriteAsync(p, "有优惠吗");
        // Up to 5 per member: only the campaign's own guard keeps a retried send from granting a second one.
        var template = await OfferTestData.NewTemplateAsync(Api, OfferTestData.Template(amountOffFen: 2_000, perMemberLimit: 5));
        var title = await Api.ScalarAsync<string>("SELECT title FROM coupon_templates WHERE id = @template", new { template });
        var (status, created) = await CreateAsync(new
        {
            name = "gift", segmentId = await SegmentOfAsync(p), channels = new[] { "text" }, content = new { text = "送您一张{coupon}" },
            couponTemplateId = template,
        });
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), created.ToString());
        var id = created.GetProperty("id").GetInt64();
        // WeChat busy for the first attempt (the library's own 1 + 3 tries): the recipient goes back to pending and is sent again.
        await FaultAsync(new { route = "/cgi-bin/message/custom/send", count = 4, errcode = -1 });

        await using var worker = CampaignsEnvironment.StartWorker();
        await ActAsync(id, "start");
        await WaitForStatusAsync(id, "completed");

        var attempts = await Api.ScalarAsync<int>("SELECT attempts FROM campaign_recipients WHERE campaign_id = @id", new { id });
        var coupons = await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_coupons WHERE template_id = @template AND member_id = @m",
            new { template, m = p.MemberId });
        var delivered = (await DeliveredAsync(p.OaOpenId, "custom")).Select(m => m.GetProperty("content").GetString()).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(attempts, Is.EqualTo(2), "the send was retried");
            Assert.That(coupons, Is.EqualTo(1), "one coupon, not one per attempt");
            Assert.That(delivered, Is.EqualTo(new[] { $"送您一张{title}（20元）" }), "{coupon} names the coupon and its value");
        });
    }

    [Test]
    public async Task Coupon_SoldOut_SkipsTheRecipientWithTheReason()
    {
        var (a, b) = (await NewMemberAsync(), await NewMemberAsync());
        await WriteAsync(a, "在吗");
        await WriteAsync(b, "在吗");
        var template = await OfferTestData.NewTemplateAsync(Api, OfferTestData.Template(totalStock: 1));
        var (status, created) = await CreateAsync(new
        {
            name = "one left", segmentId = await SegmentOfAsync(a, b), channels = new[] { "text" }, content = new { text = "{coupon} 已放入卡包" },
            couponTemplateId = template,
        });
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), created.ToString());
        var id = created.GetProperty("id").GetInt64();
        await using var worker = CampaignsEnvironment.StartWorker();
        await ActAsync(id, "start");
        await WaitForStatusAsync(id, "completed");

        var results = await ResultsAsync(id);
        var issued = await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_coupons WHERE template_id = @template", new { template });
        var messages = (await DeliveredAsync(a.OaOpenId, "custom")).Length + (await DeliveredAsync(b.OaOpenId, "custom")).Length;
        Assert.Multiple(() =>
        {
            Assert.That(results.GetProperty("sent").GetInt64(), Is.EqualTo(1));
            Assert.That(results.GetProperty("skipped").GetProperty("coupon_sold_out").GetInt64(), Is.EqualTo(1));
            Assert.That(issued, Is.EqualTo(1));
            Assert.That(messages, Is.EqualTo(1), "the skipped recipient got no message promising a coupon");
        });
    }

    [Test]
    public async Task Coupon_UnknownTemplate_Is422()
    {
        var (status, body) = await CreateAsync(new
        {
            name = "nothing", segmentId = await SegmentOfAsync(await NewMemberAsync(follow: false)), channels = new[] { "text" },
            content = new { text = "{coupon}" }, couponTemplateId = 999_999_999,
        });
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(body.GetProperty("code").GetString(), Is.EqualTo("CAMPAIGN_COUPON_NOT_FOUND"));
        });
    }
}
