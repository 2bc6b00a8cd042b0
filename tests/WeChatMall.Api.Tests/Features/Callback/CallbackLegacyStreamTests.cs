using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Redis;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Callback;

/// <summary>
/// The callback's event stream was renamed to carry a hash tag ({cb}:events, for Redis Cluster). Events an older
/// version queued under the old name just before an upgrade must still reach MySQL.
/// </summary>
public sealed class CallbackLegacyStreamTests
{
    [Test]
    public async Task Events_left_in_the_pre_hash_tag_stream_are_written_after_the_upgrade()
    {
        // An instance that queues but does not write: its event stays in the stream, then is moved to the old name.
        await using var old = await ApiFactory.StartAsync(new Dictionary<string, string?> { ["Callback:EventWriterEnabled"] = "false" });
        var openId = WeChatTestAccount.NewOpenId();
        using (var client = old.CreateClient())
            (await client.PostPlainAsync(openId, WeChatTestAccount.Text(openId, "queued before the upgrade", WeChatTestAccount.NewMsgId()))).EnsureSuccessStatusCode();
        var redis = old.Services.GetRequiredService<IDatabase>();
        var queued = await redis.StreamRangeAsync(RedisKeys.CallbackEvents);
        Assert.That(queued, Has.Length.EqualTo(1), "the event is queued");
        await redis.StreamAddAsync(RedisKeys.LegacyCallbackEvents, queued[0].Values);
        await redis.KeyDeleteAsync(RedisKeys.CallbackEvents);

        // The new version starts on the same database and Redis prefix.
        await using var upgraded = old.StartSibling(new Dictionary<string, string?> { ["Callback:EventWriterEnabled"] = "true" });
        var logged = await Eventually.MatchAsync(
            () => upgraded.ScalarAsync<long>("SELECT COUNT(*) FROM follower_messages WHERE openid = @openId", new { openId }), n => n > 0);

        Assert.Multiple(async () =>
        {
            Assert.That(logged, Is.EqualTo(1));
            Assert.That(await redis.StreamLengthAsync(RedisKeys.LegacyCallbackEvents), Is.Zero, "the old stream is emptied");
        });
    }
}
