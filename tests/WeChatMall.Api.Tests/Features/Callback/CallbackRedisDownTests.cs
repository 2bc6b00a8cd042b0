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

    [TestCase(Failure.Stopped)]
    [TestCase(Failure.Hung)]
    public async Task RedisDown_ShippedSettings_AProductCodeMessageFromABoundFollower_IsAnsweredWithinBudget_AndClaimsNothing(Failure failure)
    {
        await using var redis = await RedisProcess.StartAsync();
        await using var api = TestEnvironment.Api.StartSibling(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString });
        var openId = WeChatTestAccount.NewOpenId();
        var memberId = await api.ScalarAsync<long>("""
            INSERT INTO members (invite_code, created_at, updated_at) VALUES (@invite, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3));
            INSERT INTO member_identities (member_id, kind, value, created_at) VALUES (LAST_INSERT_ID(), 'oa_openid', @openId, UTC_TIMESTAMP(3));
            SELECT member_id FROM member_identities WHERE kind = 'oa_openid' AND value = @openId;
            """, new { invite = Guid.NewGuid().ToString("N")[..12], openId });
        var code = (await Members.ProductCodeTestData.CreateBatchAsync(points: 100, count: 1, api: api)).Codes[0];
        using var client = api.CreateClient();
        var warmUp = await client.PostPlainAsync(openId, WeChatTestAccount.Text(openId, "hello", WeChatTestAccount.NewMsgId()));
        Assert.That(warmUp.IsSuccessStatusCode, "the instance answers while its Redis is up");

        if (failure == Failure.Stopped) redis.Stop(); else redis.Hang();

        var watch = Stopwatch.StartNew();
        var response = await client.PostPlainAsync(openId, WeChatTestAccount.Text(openId, code, WeChatTestAccount.NewMsgId()));
        watch.Stop();
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(body, Does.StartWith("<xml>"), $"{(int)response.StatusCode}: {body}");
            Assert.That(Content(body), Does.Contain("系统繁忙"), "the failure counters cannot be read: nothing is claimed and the follower is told to retry");
            Assert.That(watch.Elapsed, Is.LessThan(Budget), $"answered in {watch.ElapsedMilliseconds} ms");
            Assert.That(await api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @memberId", new { memberId }), Is.Zero);
        });
    }
}
