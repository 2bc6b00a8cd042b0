using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using WeChatMall.Api.Features.Followers;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Callback;

// The event writer's bulk insert splits a batch into statements of 100 rows: every row of a batch larger than that
// is written once, and writing the same batch again adds nothing (the dedup key is unique).
public sealed class MessageLogTests
{
    private static ApiFactory Api => TestEnvironment.Api;

    [Test]
    public async Task LogAsync_BatchOverOneStatement_WritesEveryRowOnce()
    {
        var openId = WeChatTestAccount.NewOpenId();
        var now = DateTime.UtcNow;
        var events = Enumerable.Range(0, 250)
            .Select(i => new FollowerEvent($"{openId}:{i}", openId, "text", null, null, $"m{i}", i, now, now)).ToList();
        var db = Api.Services.GetRequiredService<MySqlDataSource>();

        async Task<int> LogAsync()
        {
            await using var c = await db.OpenConnectionAsync();
            await using var tx = await c.BeginTransactionAsync();
            var logged = await FollowerStore.LogAsync(c, tx, events, CancellationToken.None);
            await tx.CommitAsync();
            return logged;
        }

        var first = await LogAsync();
        var again = await LogAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(first, Is.EqualTo(250));
            Assert.That(again, Is.Zero);
            Assert.That(await Api.ScalarAsync<long>(
                "SELECT COUNT(DISTINCT msg_id) FROM follower_messages WHERE openid = @openId", new { openId }), Is.EqualTo(250));
        });
    }
}
