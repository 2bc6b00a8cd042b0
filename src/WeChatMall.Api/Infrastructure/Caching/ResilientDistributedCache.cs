using Microsoft.Extensions.Caching.Distributed;
using StackExchange.Redis;

namespace WeChatMall.Api.Infrastructure.Caching;

/// <summary>
/// The HybridCache L2 (Redis) made optional: while Redis is unreachable every call is skipped at once (a miss,
/// a dropped write), so reads fall through to L1 and MySQL instead of waiting on StackExchange.Redis's
/// backlog and timeouts. The outage is logged once when it starts and once when Redis answers again.
/// </summary>
public sealed class ResilientDistributedCache(IDistributedCache inner, IConnectionMultiplexer redis, ILogger<ResilientDistributedCache> logger)
    : IDistributedCache
{
    // A cache read slower than this costs more than asking MySQL.
    static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(250);
    int down;

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        if (!redis.IsConnected) { MarkDown(null); return null; }
        try
        {
            var value = await inner.GetAsync(key, token).WaitAsync(Timeout, token);
            MarkUp();
            return value;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            MarkDown(ex);
            return null;
        }
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        RunAsync(() => inner.SetAsync(key, value, options, token), token);

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public Task RefreshAsync(string key, CancellationToken token = default) => RunAsync(() => inner.RefreshAsync(key, token), token);

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public Task RemoveAsync(string key, CancellationToken token = default) => RunAsync(() => inner.RemoveAsync(key, token), token);

    async Task RunAsync(Func<Task> action, CancellationToken token)
    {
        if (!redis.IsConnected) { MarkDown(null); return; }
        try
        {
            await action().WaitAsync(Timeout, token);
            MarkUp();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            MarkDown(ex);
        }
    }

    void MarkDown(Exception? ex)
    {
        if (Interlocked.Exchange(ref down, 1) == 0) Log.L2Down(logger, ex?.GetType().Name ?? "not connected");
    }

    void MarkUp()
    {
        if (Interlocked.Exchange(ref down, 0) == 1) Log.L2Up(logger);
    }
}

static partial class Log
{
    [LoggerMessage(1101, LogLevel.Warning, "Cache L2 (Redis) unavailable ({Reason}): serving from the in-process cache and MySQL until it recovers")]
    public static partial void L2Down(ILogger logger, string reason);

    [LoggerMessage(1102, LogLevel.Information, "Cache L2 (Redis) available again")]
    public static partial void L2Up(ILogger logger);
}
