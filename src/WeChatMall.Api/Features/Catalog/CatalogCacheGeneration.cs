using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>
/// Cross-instance invalidation. Every catalog cache key embeds <see cref="Token"/>, built from a generation
/// counter in Redis. An admin write increments it and publishes the new value; every instance switches its token
/// when the message arrives (or at the next poll, if the message was lost), so it stops reading both its own L1
/// entries and the shared L2 entries of the old generation: nothing has to be deleted, old entries just expire.
/// A read racing a write can only store its stale result under the old generation, where nobody reads it again.
/// </summary>
public sealed class CatalogCacheGeneration(
    IConnectionMultiplexer redis, IDatabase db, RedisKeys keys, IOptions<CatalogOptions> options,
    ILogger<CatalogCacheGeneration> logger) : BackgroundService
{
    static readonly TimeSpan RedisTimeout = TimeSpan.FromMilliseconds(500);
    readonly RedisChannel channel = RedisChannel.Literal(keys.Channel("catalog"));
    long generation;
    long localEpoch;   // bumped by a write that could not reach Redis: this instance at least drops its own L1
    readonly string instance = Guid.NewGuid().ToString("N")[..12];
    long applied;      // counts token changes, so a poll answer older than a pub/sub message is discarded
    int pendingBump;
    readonly Lock gate = new();
    // Until the first answer from Redis, this instance shares no L2 entries with anyone.
    volatile string token = "start-" + Guid.NewGuid().ToString("N");

    public string Token => token;

    /// <summary>Called after every committed admin write. Never throws: the write has already happened.</summary>
    public async Task BumpAsync()
    {
        try
        {
            if (redis.IsConnected)
            {
                await IncrementAndPublishAsync();
                return;
            }
            Defer("not connected");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Defer(ex.GetType().Name);
        }
    }

    // Redis is down: invalidate this instance now, and tell the others once Redis answers again (see the poll).
    void Defer(string reason)
    {
        Interlocked.Increment(ref localEpoch);
        Volatile.Write(ref pendingBump, 1);
        Apply(Interlocked.Read(ref generation));
        Log.BumpDeferred(logger, reason);
    }

    async Task IncrementAndPublishAsync()
    {
        await SeedCounterAsync(CancellationToken.None);
        var g = await db.StringIncrementAsync(RedisKeys.CatalogGeneration).WaitAsync(RedisTimeout);
        Apply(g);
        await redis.GetSubscriber().PublishAsync(channel, g).WaitAsync(RedisTimeout);
    }

    void Apply(long g)
    {
        lock (gate)
        {
            // A new generation from Redis supersedes local-only invalidations: back to the tokens all instances share.
            if (Interlocked.Exchange(ref generation, g) != g) Interlocked.Exchange(ref localEpoch, 0);
            Interlocked.Increment(ref applied);
            var epoch = Interlocked.Read(ref localEpoch);
            // Local-only knowledge gets a token of its own, never shared through the L2.
            token = epoch == 0 ? g.ToString("x") : $"{g:x}.{instance}.{epoch}";
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.GenerationPollSeconds);
        var subscribed = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (redis.IsConnected)
                {
                    // Once subscribed, StackExchange.Redis re-subscribes by itself after a reconnect.
                    if (!subscribed)
                    {
                        await redis.GetSubscriber().SubscribeAsync(channel, (_, v) => { if (v.TryParse(out long g)) Apply(g); })
                            .WaitAsync(RedisTimeout, stoppingToken);
                        subscribed = true;
                    }
                    if (Interlocked.Exchange(ref pendingBump, 0) == 1) await IncrementAndPublishAsync();
                    else await PollAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                Log.PollFailed(logger, ex.GetType().Name);
            }
            try { await Task.Delay(interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    async Task PollAsync(CancellationToken ct)
    {
        var before = Interlocked.Read(ref applied);
        var value = await db.StringGetAsync(RedisKeys.CatalogGeneration).WaitAsync(RedisTimeout, ct);
        if (value.IsNull)
        {
            await SeedCounterAsync(ct);
            return;
        }
        if ((long)value != Interlocked.Read(ref generation) && Interlocked.Read(ref applied) == before) Apply((long)value);
    }

    // A missing counter (fresh or restarted Redis, evicted key) starts at a random value, so it never lands back
    // on a generation whose L2 entries might still be around.
    Task SeedCounterAsync(CancellationToken ct) =>
        db.StringSetAsync(RedisKeys.CatalogGeneration, Random.Shared.NextInt64(1, 1L << 48), when: When.NotExists)
            .WaitAsync(RedisTimeout, ct);
}

static partial class Log
{
    [LoggerMessage(8001, LogLevel.Warning, "Catalog changed while Redis was unreachable ({Reason}): other instances learn it when Redis is back")]
    public static partial void BumpDeferred(ILogger logger, string reason);

    [LoggerMessage(8002, LogLevel.Debug, "Catalog generation poll failed ({Reason})")]
    public static partial void PollFailed(ILogger logger, string reason);
}
