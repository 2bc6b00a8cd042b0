using System.Diagnostics;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Callback.CallbackTestData;

namespace WeChatMall.Api.Tests.Features.Callback;

public sealed class CallbackRedisDownTests
{
    [Test]
    public async Task RedisUnreachable_CallbackStillAnswersFromMySql_AndRecordsAtOnce()
    {
        var keyword = Unique("nored");
        await CreateRuleAsync(TestEnvironment.Api, TextRule("keyword", keyword, match: "exact", replies: "still here"));
        await using var isolated = TestEnvironment.Api.StartSibling(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=200,syncTimeout=300,asyncTimeout=300",
        });
        using var client = isolated.CreateClient();
        var openId = WeChatTestAccount.NewOpenId();

        var watch = Stopwatch.StartNew();
        var response = await client.PostPlainAsync(openId, WeChatTestAccount.Text(openId, keyword, WeChatTestAccount.NewMsgId()));
        watch.Stop();
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(body, Does.StartWith("<xml>"), $"{(int)response.StatusCode}: {body}");
        var logged = await isolated.ScalarAsync<long>("SELECT COUNT(*) FROM follower_messages WHERE openid = @openId", new { openId });

        Assert.Multiple(() =>
        {
            Assert.That(Content(body), Is.EqualTo("still here"));
            Assert.That(logged, Is.EqualTo(1), "without Redis the event is written before answering");
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "WeChat gives up after 5 s");
        });
    }
}
