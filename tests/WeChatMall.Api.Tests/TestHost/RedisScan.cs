using StackExchange.Redis;

namespace WeChatMall.Api.Tests.TestHost;

/// <summary>Counts keys on the shared test Redis by pattern (SCAN, never KEYS), to assert on what an instance stored.</summary>
public static class RedisScan
{
    public static async Task<List<string>> KeysAsync(string pattern, int database = 0, string? configuration = null)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(configuration ?? TestServers.Redis);
        // Every primary: on a Redis Cluster each holds its own slots (a single server holds them all).
        var keys = new List<string>();
        foreach (var server in redis.GetServers().Where(s => !s.IsReplica))
            await foreach (var key in server.KeysAsync(database, pattern, pageSize: 1000)) keys.Add(key.ToString());
        return keys;
    }
}
