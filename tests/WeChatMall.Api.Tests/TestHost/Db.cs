using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Tests.TestHost;

/// <summary>Direct reads of the test database, to assert on what was stored.</summary>
public static class Db
{
    public static async Task<T> ScalarAsync<T>(this ApiFactory api, string sql, object? args = null)
    {
        await using var c = new MySqlConnection(TestServers.MySqlFor(api.Database));
        return await c.ExecuteScalarAsync<T>(sql, args) ?? default!;
    }

    public static async Task<IEnumerable<T>> QueryAsync<T>(this ApiFactory api, string sql, object? args = null)
    {
        await using var c = new MySqlConnection(TestServers.MySqlFor(api.Database));
        return (await c.QueryAsync<T>(sql, args)).AsList();
    }

    public static async Task<dynamic?> RowAsync(this ApiFactory api, string sql, object? args = null)
    {
        await using var c = new MySqlConnection(TestServers.MySqlFor(api.Database));
        return await c.QuerySingleOrDefaultAsync(sql, args);
    }
}

/// <summary>For effects written behind the request (the callback's event writer): poll until they show.</summary>
public static class Eventually
{
    public static async Task<T> MatchAsync<T>(Func<Task<T>> read, Func<T, bool> done, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            value = await read();
        }
        return value;
    }

    /// <summary>Waits until every queued callback event has been written to MySQL (the stream is empty).</summary>
    public static async Task DrainCallbackEventsAsync(this ApiFactory api)
    {
        var redis = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<StackExchange.Redis.IDatabase>(api.Services);
        var length = await MatchAsync(() => redis.StreamLengthAsync(WeChatMall.Api.Features.Callback.CallbackGate.StreamKey), n => n == 0);
        Assert.That(length, Is.Zero, "callback events were not written within the timeout");
    }
}
