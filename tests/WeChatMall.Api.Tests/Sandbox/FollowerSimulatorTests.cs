using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Sandbox;

/// <summary>
/// End to end: the sandbox plays a follower and delivers to the real API on Kestrel, signed (and encrypted in safe
/// mode) as WeChat does; the API's auto-reply rules answer.
/// </summary>
public sealed class FollowerSimulatorTests
{
    private SandboxHost sandbox = null!;
    private ApiFactory api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        sandbox = await SandboxHost.StartAsync();
        api = await ApiFactory.StartAsync(sandbox.ApiSettings(), kestrel: true);
        await sandbox.ConfigureAsync(callbackUrl: new Uri(api.BaseAddress, "/wechat/callback").ToString(), safeMode: false);
        using var admin = api.CreateAdminClient();
        foreach (var rule in new object[]
        {
            Rule("welcome", "subscribe", null, null, "Welcome to the sandbox shop!"),
            Rule("store-1 welcome", "subscribe", null, "store-1", "Welcome, guest of store 1!"),
            Rule("hello", "keyword", "exact", "hello", "Hi there, how can we help?"),
            Rule("offer", "click", null, "TODAY_OFFER", "Today: 20% off all green tea."),
        })
            (await admin.PostAsJsonAsync("/admin/auto-replies", rule)).EnsureSuccessStatusCode();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await api.DisposeAsync();
        await sandbox.DisposeAsync();
    }

    private static object Rule(string name, string trigger, string? matchType, string? pattern, string reply) => new
    {
        name, trigger, matchType, pattern, replies = new[] { new { type = "text", content = reply } },
    };

    private async Task<JsonElement> ActAsync(string openId, string action, object body) =>
        await (await sandbox.Client.PostAsJsonAsync($"/sandbox/followers/{openId}/{action}", body)).Content.ReadFromJsonAsync<JsonElement>();

    private static string? ReplyText(JsonElement result) =>
        result.GetProperty("reply").ValueKind == JsonValueKind.Null ? null : result.GetProperty("reply").GetProperty("content").GetString();

    [Test]
    public async Task Subscribe_ShowsTheWelcomeReply_AndRecordsItAsDelivered()
    {
        var openId = WeChatTestAccount.NewOpenId();

        var result = await ActAsync(openId, "subscribe", new { });

        var messages = await sandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/messages?openid={openId}");
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("replied"), result.ToString());
            Assert.That(ReplyText(result), Is.EqualTo("Welcome to the sandbox shop!"));
            Assert.That(messages!.Single().GetProperty("kind").GetString(), Is.EqualTo("passive"));
            Assert.That(messages!.Single().GetProperty("content").GetString(), Is.EqualTo("Welcome to the sandbox shop!"));
        });
    }

    [Test]
    public async Task Keyword_InSafeMode_TheEncryptedReplyIsVerifiedDecryptedAndShown()
    {
        var openId = WeChatTestAccount.NewOpenId();

        var result = await ActAsync(openId, "text", new { content = "hello", safeMode = true });

        var callback = (await sandbox.Client.GetFromJsonAsync<JsonElement[]>($"/sandbox/callbacks?openid={openId}"))!.Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("replied"), result.ToString());
            Assert.That(ReplyText(result), Is.EqualTo("Hi there, how can we help?"));
            Assert.That(result.GetProperty("raw").GetString(), Does.Contain("<Encrypt>").And.Not.Contains("Hi there"));
            Assert.That(callback.GetProperty("safeMode").GetBoolean(), Is.True);
        });
    }

    [Test]
    public async Task Keyword_InPlaintextMode_ShowsTheReply()
    {
        var result = await ActAsync(WeChatTestAccount.NewOpenId(), "text", new { content = "hello", safeMode = false });

        Assert.That(ReplyText(result), Is.EqualTo("Hi there, how can we help?"));
    }

    [Test]
    public async Task ScanByANonFollower_ArrivesAsSubscribeWithTheScene_AndGetsTheChannelWelcome()
    {
        var result = await ActAsync(WeChatTestAccount.NewOpenId(), "scan", new { scene = "store-1" });

        Assert.That(ReplyText(result), Is.EqualTo("Welcome, guest of store 1!"));
    }

    [Test]
    public async Task MenuClick_ShowsTheClickReply()
    {
        var result = await ActAsync(WeChatTestAccount.NewOpenId(), "click", new { key = "TODAY_OFFER", safeMode = true });

        Assert.That(ReplyText(result), Is.EqualTo("Today: 20% off all green tea."));
    }

    [Test]
    public async Task Unsubscribe_GetsNoReply_AndTheFollowerIsNoLongerSubscribed()
    {
        var openId = WeChatTestAccount.NewOpenId();
        await ActAsync(openId, "subscribe", new { });

        var result = await ActAsync(openId, "unsubscribe", new { });

        var followers = await sandbox.Client.GetFromJsonAsync<JsonElement[]>("/sandbox/followers");
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("no_reply"));
            Assert.That(followers!.Single(f => f.GetProperty("openId").GetString() == openId).GetProperty("subscribed").GetBoolean(), Is.False);
        });
    }
}
