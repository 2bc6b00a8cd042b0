using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using WeChatMall.Api.Features.Callback;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Callback;

/// <summary>The callback event queue (Redis stream + consumer group) when Redis loses it, and how /health/ready shows it.</summary>
public sealed class CallbackQueueTests
{
    // An instance of its own key prefix: deleting its stream touches no other test's queue.
    static ApiFactory StartIsolated(IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["Redis:KeyPrefix"] = $"t:queue:{Guid.NewGuid():N}:" };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        return TestEnvironment.Api.StartSibling(settings);
    }

    static async Task SendAsync(HttpClient client, string openId)
    {
        var response = await client.PostPlainAsync(openId, WeChatTestAccount.Text(openId, "queued", WeChatTestAccount.NewMsgId()));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    static Task<long> LoggedAsync(ApiFactory api, IEnumerable<string> openIds) =>
        api.ScalarAsync<long>("SELECT COUNT(*) FROM follower_messages WHERE openid IN @openIds", new { openIds });

    [TestCase("stream")]
    [TestCase("group")]
    public async Task EventWriter_StreamOrGroupDeletedMidRun_RecreatesTheGroup_AndWritesEverythingAnsweredAfterwards(string deleted)
    {
        await using var api = StartIsolated();
        using var client = api.CreateClient();
        var redis = api.Services.GetRequiredService<IDatabase>();
        var before = WeChatTestAccount.NewOpenId();
        await SendAsync(client, before);
        Assert.That(await Eventually.MatchAsync(() => LoggedAsync(api, [before]), n => n == 1), Is.EqualTo(1), "the writer runs");

        if (deleted == "stream") await redis.KeyDeleteAsync(CallbackGate.StreamKey); // its consumer group goes with it
        else await redis.StreamDeleteConsumerGroupAsync(CallbackGate.StreamKey, "writers");
        var after = Enumerable.Range(0, 5).Select(_ => WeChatTestAccount.NewOpenId()).ToList();
        foreach (var openId in after)
        {
            await SendAsync(client, openId);
            await Task.Delay(200); // spread over several reads of the writer
        }

        Assert.That(await Eventually.MatchAsync(() => LoggedAsync(api, after), n => n == after.Count, timeoutMs: 15_000),
            Is.EqualTo(after.Count), "every message answered after the queue was lost is written, once");
    }

    [Test]
    public async Task Ready_CallbackQueuePastThreshold_ReportsDegradedWithLengthAndOldestAge()
    {
        await using var api = StartIsolated(new Dictionary<string, string?>
        {
            ["Callback:EventWriterEnabled"] = "false", // nothing drains the queue
            ["Callback:QueueDegradedLength"] = "2",
        });
        using var client = api.CreateClient();
        for (var i = 0; i < 3; i++) await SendAsync(client, WeChatTestAccount.NewOpenId());

        var response = await client.GetAsync("/health/ready");
        var queue = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("callbackQueue");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "degraded, still ready");
            Assert.That(queue.GetProperty("status").GetString(), Is.EqualTo("Degraded"));
            Assert.That(queue.GetProperty("data").GetProperty("length").GetInt64(), Is.EqualTo(3));
            Assert.That(queue.GetProperty("data").GetProperty("oldestAgeSeconds").GetDouble(), Is.GreaterThanOrEqualTo(0));
        });
    }
}
