using System.Net;
using System.Text.Json;
using WeChatMall.Api.Features.Campaigns;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Campaigns.CampaignPeople;

namespace WeChatMall.Api.Tests.Features.Campaigns;

/// <summary>
/// What the text channel (customer-service messages) carries: image, news card and mini-program card reach the sandbox
/// follower, each checked before sending; {nickname} falls back to a neutral word for members without a nickname.
/// </summary>
[NonParallelizable]
public sealed class CampaignContentTests
{
    const string AppId = "wx0123456789abcdef";

    [Test]
    public async Task RichCustomerServiceKinds_ReachTheSandboxFollower()
    {
        var p = await NewMemberAsync();
        await WriteAsync(p, "你好"); // opens the 48-hour window: 5 messages
        var segment = await SegmentOfAsync(p);
        object[] contents =
        [
            new { image = new { mediaId = "media_cs_banner_1" } },
            new { news = new { title = "{nickname}，年终好物", description = "满 100 减 20", url = "https://shop.example.com/sale", picUrl = "https://shop.example.com/sale.jpg" } },
            new { miniProgram = new { title = "年终会员日", appId = AppId, pagePath = "pages/sale/index?from=cs", thumbMediaId = "media_thumb_1" } },
        ];
        await using var worker = CampaignsEnvironment.StartWorker();
        foreach (var content in contents)
        {
            var (status, created) = await CreateAsync(new { name = "rich", segmentId = segment, channels = new[] { "text" }, content });
            Assert.That(status, Is.EqualTo(HttpStatusCode.Created), created.ToString());
            var id = created.GetProperty("id").GetInt64();
            await ActAsync(id, "start");
            Assert.That(await WaitForStatusAsync(id, "completed"), Is.EqualTo("completed"));
        }

        var delivered = await DeliveredAsync(p.OaOpenId, "custom");
        JsonElement Of(string type) => delivered.Single(m => m.GetProperty("msgType").GetString() == type);
        var news = JsonDocument.Parse(Of("news").GetProperty("payload").GetString()!).RootElement.GetProperty("news").GetProperty("articles")[0];
        var card = JsonDocument.Parse(Of("miniprogrampage").GetProperty("payload").GetString()!).RootElement.GetProperty("miniprogrampage");
        Assert.Multiple(() =>
        {
            Assert.That(Of("image").GetProperty("content").GetString(), Is.EqualTo("media_cs_banner_1"));
            Assert.That(news.GetProperty("title").GetString(), Is.EqualTo("您好，年终好物"), "placeholders rendered");
            Assert.That(news.GetProperty("url").GetString(), Is.EqualTo("https://shop.example.com/sale"));
            Assert.That(card.GetProperty("appid").GetString(), Is.EqualTo(AppId));
            Assert.That(card.GetProperty("pagepath").GetString(), Is.EqualTo("pages/sale/index?from=cs"));
            Assert.That(card.GetProperty("thumb_media_id").GetString(), Is.EqualTo("media_thumb_1"));
        });
    }

    [TestCase("""{"news":{"title":"t","url":"http://shop.example.com/"}}""", "text.news.url")]
    [TestCase("""{"news":{"title":"","url":"https://shop.example.com/"}}""", "text.news.title")]
    [TestCase("""{"news":{"title":"t","url":"https://shop.example.com/","picUrl":"ftp://x/y.jpg"}}""", "text.news.picUrl")]
    [TestCase("""{"image":{"mediaId":""}}""", "text.image.mediaId")]
    [TestCase("""{"miniProgram":{"title":"t","appId":"wx0123456789abcdef","pagePath":"pages/i"}}""", "text.miniProgram.thumbMediaId")]
    [TestCase("""{"miniProgram":{"title":"t","appId":"not-an-appid","pagePath":"pages/i","thumbMediaId":"m"}}""", "text.miniProgram.appId")]
    [TestCase("""{"miniProgram":{"title":"t","appId":"wx0123456789abcdef","pagePath":"/pages/i","thumbMediaId":"m"}}""", "text.miniProgram.pagePath")]
    [TestCase("""{"text":"hi","image":{"mediaId":"m"}}""", "give one of")]
    [TestCase("""{"text":"送您{coupon}"}""", "couponTemplateId")]
    public async Task BadCustomerServiceContent_Is400NamingTheField(string content, string named)
    {
        var segment = await SegmentOfAsync(await NewMemberAsync(follow: false));
        var (status, body) = await CreateAsync(new { name = "bad", segmentId = segment, channels = new[] { "text" }, content = JsonDocument.Parse(content).RootElement });
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body.ToString());
            Assert.That(body.GetProperty("code").GetString(), Is.EqualTo("CAMPAIGN_INVALID"));
            Assert.That(body.GetProperty("errors").EnumerateArray().Select(e => e.GetString()), Has.Some.Contains(named));
        });
    }

    [Test]
    public async Task Nickname_MissingFallsBackToANeutralWord()
    {
        var anonymous = await NewMemberAsync();
        var named = await NewMemberAsync(nickname: "小林");
        await WriteAsync(anonymous, "在吗");
        await WriteAsync(named, "在吗");
        var (status, created) = await CreateAsync(new
        {
            name = "hello", segmentId = await SegmentOfAsync(anonymous, named), channels = new[] { "text" }, content = new { text = "{nickname}，年终会员日来啦" },
        });
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), created.ToString());
        var id = created.GetProperty("id").GetInt64();
        await using var worker = CampaignsEnvironment.StartWorker();
        await ActAsync(id, "start");
        await WaitForStatusAsync(id, "completed");

        var toAnonymous = (await DeliveredAsync(anonymous.OaOpenId, "custom")).Single().GetProperty("content").GetString();
        var toNamed = (await DeliveredAsync(named.OaOpenId, "custom")).Single().GetProperty("content").GetString();
        Assert.Multiple(() =>
        {
            Assert.That(toAnonymous, Is.EqualTo("您好，年终会员日来啦"), "Campaigns:NicknameFallback, never a bare '，'");
            Assert.That(toNamed, Is.EqualTo("小林，年终会员日来啦"));
        });
    }

    [Test]
    public void Render_EmptyNicknameAtTheStart_DropsThePunctuationAfterIt()
    {
        var person = new CampaignContent.Person("", 10, null);
        Assert.Multiple(() =>
        {
            Assert.That(CampaignContent.Render("{nickname}，您有 {points} 积分", person), Is.EqualTo("您有 10 积分"));
            Assert.That(CampaignContent.Render("亲爱的{nickname}，您好", person), Is.EqualTo("亲爱的，您好"));
        });
    }
}
