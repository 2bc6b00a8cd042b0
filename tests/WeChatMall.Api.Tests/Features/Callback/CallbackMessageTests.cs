using System.Net;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Callback.CallbackTestData;

namespace WeChatMall.Api.Tests.Features.Callback;

public sealed class CallbackMessageTests
{
    private static ApiFactory Api => TestEnvironment.Api;

    [Test]
    public async Task UrlVerification_WithValidSignature_EchoesEchostrExactly()
    {
        using var client = Api.CreateClient();
        var (ts, nonce) = (WeChatTestAccount.Now(), WeChatTestAccount.Nonce());
        var signature = WeChat.OfficialAccount.CallbackSignature.ComputeUrlSignature(WeChatTestAccount.Token, ts, nonce);

        var ok = await client.GetAsync($"/wechat/callback?signature={signature}&timestamp={ts}&nonce={nonce}&echostr=4375120948345356249");
        var forged = await client.GetAsync($"/wechat/callback?signature={new string('0', 40)}&timestamp={ts}&nonce={nonce}&echostr=1");

        Assert.Multiple(async () =>
        {
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await ok.Content.ReadAsStringAsync(), Is.EqualTo("4375120948345356249"));
            Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await forged.Content.ReadAsStringAsync(), Is.EqualTo("invalid signature"), "the echostr must not be echoed");
        });
    }

    [Test]
    public async Task Subscribe_WithScene_StoresChannel_AndAnswersTheChannelWelcome()
    {
        var scene = Unique("store");
        await CreateRuleAsync(Api, TextRule("subscribe", scene, replies: "Welcome from the store"));
        var openId = WeChatTestAccount.NewOpenId();
        using var client = Api.CreateClient();

        var response = await client.PostPlainAsync(openId, WeChatTestAccount.Event(openId, "subscribe", "qrscene_" + scene));
        var body = await response.Content.ReadAsStringAsync();
        var follower = await Eventually.MatchAsync(() => Api.RowAsync("SELECT state, source_channel, first_subscribed_at FROM followers WHERE openid = @openId", new { openId }), r => r is not null);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Content(body), Is.EqualTo("Welcome from the store"));
            Assert.That(Xml(body).Element("ToUserName")!.Value, Is.EqualTo(openId));
            Assert.That(Xml(body).Element("FromUserName")!.Value, Is.EqualTo(WeChatTestAccount.OriginalId));
            Assert.That((string)follower!.state, Is.EqualTo("subscribed"));
            Assert.That((string)follower.source_channel, Is.EqualTo(scene));
            Assert.That((DateTime?)follower.first_subscribed_at, Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(1)));
        });
    }

    [Test]
    public async Task SafeMode_Keyword_AnswersAnEncryptedReplyThatDecryptsToTheRuleReply()
    {
        var keyword = Unique("safe");
        await CreateRuleAsync(Api, TextRule("keyword", keyword, match: "exact", replies: "secret reply"));
        var openId = WeChatTestAccount.NewOpenId();
        using var client = Api.CreateClient();

        var response = await client.PostSafeAsync(openId, WeChatTestAccount.Text(openId, keyword, WeChatTestAccount.NewMsgId()));
        var envelope = await response.Content.ReadAsStringAsync();
        var opened = WeChatTestAccount.Crypto.OpenReplyEnvelope(envelope);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Xml(envelope).Element("Encrypt"), Is.Not.Null);
            Assert.That(Content(opened.Xml), Is.EqualTo("secret reply"));
        });
    }

    [Test]
    public async Task Keyword_Contains_AnswersAndLogsTheMessage()
    {
        var keyword = Unique("kw");
        await CreateRuleAsync(Api, TextRule("keyword", keyword, match: "contains", replies: "found it"));
        var openId = WeChatTestAccount.NewOpenId();
        using var client = Api.CreateClient();

        var response = await client.PostPlainAsync(openId, WeChatTestAccount.Text(openId, $"hi, {keyword} please", WeChatTestAccount.NewMsgId()));
        var logged = await Eventually.MatchAsync(() => Api.RowAsync("SELECT msg_type, content FROM follower_messages WHERE openid = @openId", new { openId }), r => r is not null);

        Assert.Multiple(async () =>
        {
            Assert.That(Content(await response.Content.ReadAsStringAsync()), Is.EqualTo("found it"));
            Assert.That((string)logged!.msg_type, Is.EqualTo("text"));
            Assert.That((string)logged.content, Is.EqualTo($"hi, {keyword} please"));
        });
    }

    [Test]
    public async Task Unsubscribe_MarksFollowerUnsubscribed_AndAnswersSuccess()
    {
        var openId = WeChatTestAccount.NewOpenId();
        using var client = Api.CreateClient();
        await client.PostPlainAsync(openId, WeChatTestAccount.Event(openId, "subscribe"));

        var response = await client.PostPlainAsync(openId, WeChatTestAccount.Event(openId, "unsubscribe", createTime: DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1));
        var follower = await Eventually.MatchAsync(() => Api.RowAsync("SELECT state, unsubscribed_at FROM followers WHERE openid = @openId", new { openId }), r => r is not null && (string)r.state == "unsubscribed");

        Assert.Multiple(async () =>
        {
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("success"));
            Assert.That((string)follower!.state, Is.EqualTo("unsubscribed"));
            Assert.That((DateTime?)follower.unsubscribed_at, Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(1)));
        });
    }

    [Test]
    public async Task Scan_ByExistingFollower_AnswersTheSceneRule_AndKeepsTheFirstChannel()
    {
        var (first, second) = (Unique("ad"), Unique("parcel"));
        await CreateRuleAsync(Api, TextRule("scan", second, replies: "thanks for buying"));
        var openId = WeChatTestAccount.NewOpenId();
        using var client = Api.CreateClient();
        await client.PostPlainAsync(openId, WeChatTestAccount.Event(openId, "subscribe", "qrscene_" + first));

        var response = await client.PostPlainAsync(openId, WeChatTestAccount.Event(openId, "SCAN", second, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 2));
        var follower = await Eventually.MatchAsync(() => Api.RowAsync("SELECT source_channel, last_channel FROM followers WHERE openid = @openId", new { openId }), r => r is not null && (string?)r.last_channel == second);

        Assert.Multiple(async () =>
        {
            Assert.That(Content(await response.Content.ReadAsStringAsync()), Is.EqualTo("thanks for buying"));
            Assert.That((string)follower!.source_channel, Is.EqualTo(first));
            Assert.That((string)follower.last_channel, Is.EqualTo(second));
        });
    }

    [Test]
    public async Task MenuClick_AnswersTheClickRule()
    {
        var key = Unique("MENU");
        await CreateRuleAsync(Api, TextRule("click", key, replies: "today's offer"));
        var openId = WeChatTestAccount.NewOpenId();
        using var client = Api.CreateClient();

        var response = await client.PostPlainAsync(openId, WeChatTestAccount.Event(openId, "CLICK", key));

        Assert.That(Content(await response.Content.ReadAsStringAsync()), Is.EqualTo("today's offer"));
    }

    [Test]
    public async Task ModeAll_QueuesTheExtraRepliesInTheOutboxOnce()
    {
        var keyword = Unique("all");
        await CreateRuleAsync(Api, TextRule("keyword", keyword, mode: "all", match: "exact", replies: ["one", "two", "three"]));
        var openId = WeChatTestAccount.NewOpenId();
        var xml = WeChatTestAccount.Text(openId, keyword, WeChatTestAccount.NewMsgId());
        using var client = Api.CreateClient();

        var first = await client.PostPlainAsync(openId, xml);
        var retry = await client.PostPlainAsync(openId, xml);
        await Api.DrainCallbackEventsAsync();
        var queued = await Api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM outbox_messages WHERE kind = 'wechat.custom_message' AND payload LIKE @p", new { p = $"%{openId}%" });

        Assert.Multiple(async () =>
        {
            Assert.That(Content(await first.Content.ReadAsStringAsync()), Is.EqualTo("one"));
            Assert.That(Content(await retry.Content.ReadAsStringAsync()), Is.EqualTo("one"));
            Assert.That(queued, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task UnknownEvent_IsLogged_AndAnsweredSuccess()
    {
        var openId = WeChatTestAccount.NewOpenId();
        using var client = Api.CreateClient();

        var response = await client.PostPlainAsync(openId, WeChatTestAccount.Event(openId, "some_future_event", "k"));
        var logged = await Eventually.MatchAsync(() => Api.ScalarAsync<string>("SELECT event FROM follower_messages WHERE openid = @openId", new { openId }), e => e is not null);

        Assert.Multiple(async () =>
        {
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("success"));
            Assert.That(logged, Is.EqualTo("some_future_event"));
        });
    }
}
