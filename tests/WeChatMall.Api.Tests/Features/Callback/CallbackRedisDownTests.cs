using System.Diagnostics;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Callback.CallbackTestData;

namespace WeChatMall.Api.Tests.Features.Callback;

/// <summary>
/// Redis stopped or hung under an instance with the shipped Redis settings (a bare host:port connection string, so
/// StackExchange.Redis's 5 s timeouts): the callback still answers within its budget and writes the message to MySQL.
/// </summary>
public sealed class CallbackRedisDownTests
{
    public enum Failure { Stopped, Hung }

    static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    [TestCase(Failure.Stopped)]
    [TestCase(Failure.Hung)]
    public async Task RedisDown_ShippedSettings_CallbackAnswersWithinBudget_AndRecordsInMySql(Failure failure)
    {
        await using var redis = await RedisProcess.StartAsync();
        await using var api = TestEnvironment.Api.StartSibling(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString });
        var keyword = Unique("nored");
        await CreateRuleAsync(api, TextRule("keyword", keyword, match: "exact", replies: "still here"));
        using var client = api.CreateClient();
        var first = WeChatTestAccount.NewOpenId();
        var warmUp = await client.PostPlainAsync(first, WeChatTestAccount.Text(first, keyword, WeChatTestAccount.NewMsgId()));
        Assert.That(warmUp.IsSuccessStatusCode, "the instance answers while its Redis is up");

        if (failure == Failure.Stopped) redis.Stop(); else redis.Hang();

        // Several in a row: each one waits on its own Redis calls, none may be lost or late.
        for (var i = 0; i < 3; i++)
        {
            var openId = WeChatTestAccount.NewOpenId();
            var watch = Stopwatch.StartNew();
            var response = await client.PostPlainAsync(openId, WeChatTestAccount.Text(openId, keyword, WeChatTestAccount.NewMsgId()));
            watch.Stop();
            var body = await response.Content.ReadAsStringAsync();
            var logged = await api.ScalarAsync<long>("SELECT COUNT(*) FROM follower_messages WHERE openid = @openId", new { openId });

            Assert.Multiple(() =>
            {
                Assert.That(body, Does.StartWith("<xml>"), $"{(int)response.StatusCode}: {body}");
                Assert.That(Content(body), Is.EqualTo("still here"));
                Assert.That(logged, Is.EqualTo(1), "without Redis the message is written to MySQL before answering");
                Assert.That(watch.Elapsed, Is.LessThan(Budget), $"message {i + 1} answered in {watch.ElapsedMilliseconds} ms");
            });
        }
    }
}
