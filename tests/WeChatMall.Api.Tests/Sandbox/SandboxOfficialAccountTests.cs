using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Tests.TestHost;
using WeChatMall.WeChat.Api;
using WeChatMall.WeChat.MiniProgram;

namespace WeChatMall.Api.Tests.Sandbox;

/// <summary>Our library's OA, OAuth and mini-program clients against the sandbox, asserting on its recordings.</summary>
public sealed class SandboxOfficialAccountTests : SandboxClientFixture
{
    private OfficialAccountClient Oa => services.GetRequiredService<OfficialAccountClient>();

    private async Task<JsonElement[]> MessagesAsync(string openId) =>
        (await sandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/messages?openid={openId}"))!;

    [Test]
    public async Task CustomAndTemplateAndSubscribeSends_AreRecordedAsDeliveredMessages()
    {
        var openId = WeChatTestAccount.NewOpenId();

        await Oa.SendCustomTextAsync(openId, "your parcel left", CancellationToken.None);
        var msgId = await Oa.SendTemplateAsync(new TemplateMessage(openId, "TPL1", new Dictionary<string, string> { ["thing1"] = "shipped" }), CancellationToken.None);
        await services.GetRequiredService<MiniProgramClient>().SendSubscribeMessageAsync(
            new SubscribeMessage(openId, "SUB1", new Dictionary<string, string> { ["thing2"] = "paid" }), CancellationToken.None);

        var messages = await MessagesAsync(openId);
        Assert.Multiple(() =>
        {
            Assert.That(msgId, Is.GreaterThan(0));
            Assert.That(messages.Select(m => m.GetProperty("kind").GetString()), Is.EqualTo(new[] { "custom", "template", "subscribe" }));
            Assert.That(messages[0].GetProperty("content").GetString(), Is.EqualTo("your parcel left"));
            Assert.That(messages[1].GetProperty("content").GetString(), Is.EqualTo("thing1: shipped"));
            Assert.That(messages[2].GetProperty("payload").GetString(), Does.Contain("\"template_id\":\"SUB1\""));
        });
    }

    [Test]
    public async Task MessageAndCallStats_CountDeliveriesRecipientsAndRepeats_AsTheCampaignBenchmarkReadsThem()
    {
        var (once, twice) = (WeChatTestAccount.NewOpenId(), WeChatTestAccount.NewOpenId());
        var messagesBefore = await sandbox.Client.GetFromJsonAsync<JsonElement>("/sandbox/messages/stats?kind=template");
        var callsBefore = await SendCallsAsync();
        TemplateMessage To(string openId, string clientMsgId) => new(openId, "TPL1", new Dictionary<string, string> { ["thing1"] = "x" }, ClientMsgId: clientMsgId);

        await Oa.SendTemplateAsync(To(once, "a"), CancellationToken.None);
        await Oa.SendTemplateAsync(To(once, "a"), CancellationToken.None); // a resend: WeChat delivers it once
        await Oa.SendTemplateAsync(To(twice, "b"), CancellationToken.None);
        await Oa.SendTemplateAsync(To(twice, "c"), CancellationToken.None);

        var after = await sandbox.Client.GetFromJsonAsync<JsonElement>("/sandbox/messages/stats?kind=template");
        var calls = await SendCallsAsync() - callsBefore;
        int Delta(string name) => after.GetProperty(name).GetInt32() - messagesBefore.GetProperty(name).GetInt32();
        Assert.Multiple(() =>
        {
            Assert.That(Delta("messages"), Is.EqualTo(3));
            Assert.That(Delta("recipients"), Is.EqualTo(2));
            Assert.That(Delta("recipientsReachedTwice"), Is.EqualTo(1));
            Assert.That(after.GetProperty("last").GetDateTimeOffset(), Is.GreaterThanOrEqualTo(after.GetProperty("first").GetDateTimeOffset()));
            Assert.That(calls, Is.EqualTo(4));
        });
    }

    private async Task<int> SendCallsAsync() =>
        (await sandbox.Client.GetFromJsonAsync<Dictionary<string, int>>("/sandbox/calls/stats?route=/cgi-bin/message/template/send"))!.Values.Sum();

    [Test]
    public async Task MassSendByTag_ReachesOnlyTaggedFollowers()
    {
        var (tagged, other) = (WeChatTestAccount.NewOpenId(), WeChatTestAccount.NewOpenId());
        foreach (var o in new[] { tagged, other })
            await sandbox.Client.PostAsJsonAsync($"/sandbox/followers/{o}/subscribe", new { });   // no callback URL: only the state changes
        var tagId = await Oa.CreateTagAsync("vip-" + Guid.NewGuid().ToString("N")[..8], CancellationToken.None);
        await Oa.TagUsersAsync(tagId, [tagged], CancellationToken.None);

        var result = await Oa.SendMassTextByTagAsync(tagId, "members' sale", null, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(result.MsgId, Is.GreaterThan(0));
            Assert.That((await MessagesAsync(tagged)).Single().GetProperty("kind").GetString(), Is.EqualTo("mass"));
            Assert.That(await MessagesAsync(other), Is.Empty);
            Assert.That((await Oa.GetUserInfoAsync(tagged, CancellationToken.None)).Subscribed, Is.True);
        });
    }

    [Test]
    public async Task MassSend_ClientMsgIdReused_Is45065NamingTheEarlierJob_AndSendsNothingAgain()
    {
        var (a, b) = (WeChatTestAccount.NewOpenId(), WeChatTestAccount.NewOpenId());
        foreach (var o in new[] { a, b })
            await sandbox.Client.PostAsJsonAsync($"/sandbox/followers/{o}/subscribe", new { });
        var clientMsgId = "c-" + Guid.NewGuid().ToString("N")[..12];

        var first = await Oa.SendMassToOpenIdsAsync([a, b], MassContent.Text("新品上架"), clientMsgId, CancellationToken.None);
        var again = await Oa.SendMassToOpenIdsAsync([a, b], MassContent.Text("新品上架"), clientMsgId, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(first.Repeated, Is.False);
            Assert.That(again.Repeated, Is.True, "WeChat answered 45065");
            Assert.That(again.MsgId, Is.EqualTo(first.MsgId), "the answer names the job WeChat already took");
            Assert.That(await MessagesAsync(a), Has.Length.EqualTo(1), "nothing sent again");
        });
    }

    [Test]
    public async Task MassPreview_ReachesOneFollower_NotCountedForTheMonth_ItsDailyLimitIs45009()
    {
        var (follower, other, stranger) = (WeChatTestAccount.NewOpenId(), WeChatTestAccount.NewOpenId(), WeChatTestAccount.NewOpenId());
        foreach (var o in new[] { follower, other })
            await sandbox.Client.PostAsJsonAsync($"/sandbox/followers/{o}/subscribe", new { });

        var msgId = await Oa.PreviewMassAsync(follower, MassContent.Text("预览"), CancellationToken.None);
        for (var i = 1; i < 100; i++) await Oa.PreviewMassAsync(other, MassContent.Text("预览"), CancellationToken.None);
        var spent = Assert.ThrowsAsync<WeChatApiException>(() => Oa.PreviewMassAsync(follower, MassContent.Text("预览"), CancellationToken.None));
        var notFollowing = Assert.ThrowsAsync<WeChatApiException>(() => Oa.PreviewMassAsync(stranger, MassContent.Text("预览"), CancellationToken.None));
        // Four mass sends still reach the follower this month: the preview used none of them.
        for (var i = 0; i < 4; i++)
            await Oa.SendMassToOpenIdsAsync([follower, other], MassContent.Text($"群发 {i}"), null, CancellationToken.None);
        var messages = await MessagesAsync(follower);

        Assert.Multiple(() =>
        {
            Assert.That(msgId, Is.GreaterThan(0));
            Assert.That(messages.Count(m => m.GetProperty("kind").GetString() == "mass_preview"), Is.EqualTo(1));
            Assert.That(messages.Count(m => m.GetProperty("kind").GetString() == "mass"), Is.EqualTo(4));
            Assert.That(spent!.Errcode, Is.EqualTo(45009), "100 previews a day");
            Assert.That(notFollowing!.Errcode, Is.EqualTo(43004));
        });
    }

    [Test]
    public async Task QrCode_CreateThenShow_ServesAnImageNamingTheScene()
    {
        var ticket = await Oa.CreateQrCodeAsync(QrCodeRequest.Temporary("store-9", TimeSpan.FromDays(1)), CancellationToken.None);

        var image = await sandbox.Client.GetAsync(new Uri(Oa.BuildQrCodeImageUrl(ticket.Ticket)));

        Assert.Multiple(async () =>
        {
            Assert.That(ticket.ExpireSeconds, Is.EqualTo(86400));
            Assert.That(image.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/svg+xml"));
            Assert.That(await image.Content.ReadAsStringAsync(), Does.Contain("scene: store-9"));
        });
    }

    [Test]
    public async Task Menu_CreateThenGet_RoundTrips()
    {
        await Oa.CreateMenuAsync([new MenuButton { Type = "click", Name = "Offer", Key = "TODAY_OFFER" }], CancellationToken.None);

        var menu = await Oa.GetMenuAsync(CancellationToken.None);

        Assert.That(menu.GetProperty("menu").GetProperty("button")[0].GetProperty("key").GetString(), Is.EqualTo("TODAY_OFFER"));
    }

    [Test]
    public async Task OAuthCode_ExchangesOnceForTheFollowersProfile()
    {
        var oauth = services.GetRequiredService<WeChatOAuthClient>();
        var code = await sandbox.Client.PostAsJsonAsync("/sandbox/oauth/codes", new { openId = "o_sandbox_bob" });
        var codeValue = (await code.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;

        var token = await oauth.ExchangeCodeAsync(codeValue, CancellationToken.None);
        var profile = await oauth.GetUserInfoAsync(token.AccessToken, token.OpenId, CancellationToken.None);
        var reuse = Assert.ThrowsAsync<WeChatApiException>(() => oauth.ExchangeCodeAsync(codeValue, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(token.OpenId, Is.EqualTo("o_sandbox_bob"));
            Assert.That(profile.Nickname, Is.EqualTo("Bob"));
            Assert.That(reuse!.Errcode, Is.EqualTo(40163));
        });
    }

    [Test]
    public async Task MiniProgramCode_Code2SessionOnce_UnknownCodeIs40029()
    {
        var mp = services.GetRequiredService<MiniProgramClient>();
        var issued = await (await sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/codes", new { openId = "o_mp_test_1" }))
            .Content.ReadFromJsonAsync<JsonElement>();

        var session = await mp.Code2SessionAsync(issued.GetProperty("code").GetString()!, CancellationToken.None);
        var unknown = Assert.ThrowsAsync<WeChatApiException>(() => mp.Code2SessionAsync("no-such-code", CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(session.OpenId, Is.EqualTo("o_mp_test_1"));
            Assert.That(session.SessionKey, Is.Not.Empty);
            Assert.That(unknown!.Errcode, Is.EqualTo(40029));
        });
    }

    [Test]
    public async Task Calls_AreRecordedWithRouteAndBody()
    {
        var openId = WeChatTestAccount.NewOpenId();
        await Oa.SendCustomTextAsync(openId, "recorded?", CancellationToken.None);

        var calls = await sandbox.Client.GetFromJsonAsync<JsonElement[]>("/sandbox/calls?route=/cgi-bin/message/custom/send");

        Assert.That(calls!.Any(c => c.GetProperty("body").GetString()!.Contains(openId) && c.GetProperty("method").GetString() == "POST"), Is.True);
    }
}
