using StackExchange.Redis;

namespace WeChatMall.Api.Infrastructure.Redis;

/// <summary>
/// A per-instance memory kept true by a Redis pub/sub channel: whoever changes the truth behind it publishes a message
/// after the change, and every instance applies it. The memory is used only while the channel is subscribed and
/// connected: a lost connection empties it and turns it off until the subscription is back. <see cref="Version"/>
/// lets a writer drop an answer that an invalidation may have overtaken. What no message can catch (one lost on a link
/// that has not yet noticed it broke) is bounded by the lifetime the subclass gives its entries.
/// </summary>
public abstract class InvalidatedMemory(IConnectionMultiplexer redis, RedisChannel channel) : BackgroundService
{
    long invalidations;
    volatile bool live;

    /// <summary>Bumped by every invalidation: an answer is remembered only if none happened since it was looked up.</summary>
    public long Version => Interlocked.Read(ref invalidations);

    /// <summary>True while the channel is subscribed and connected (and the memory switched on).</summary>
    protected bool Live => live && Enabled;

    /// <summary>Whether the memory is switched on by its setting.</summary>
    protected abstract bool Enabled { get; }

    /// <summary>Drops what <paramref name="message"/> names (called for local and published invalidations).</summary>
    protected abstract void Forget(string message);

    protected abstract void ForgetAll();

    /// <summary>Drops expired entries (once a second).</summary>
    protected abstract void Purge();

    protected abstract void LogOff(string reason);

    /// <summary>Applies <paramref name="message"/> here, then tells every other instance.</summary>
    protected async Task InvalidateEverywhereAsync(string message)
    {
        Apply(message);
        await redis.GetSubscriber().PublishAsync(channel, message);
    }

    void Apply(string message)
    {
        Interlocked.Increment(ref invalidations);
        Forget(message);
    }

    void Off(string reason)
    {
        if (live) LogOff(reason);
        live = false;
        Interlocked.Increment(ref invalidations);
        ForgetAll();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
        redis.ConnectionFailed += (_, e) => Off(e.FailureType.ToString());
        var subscriber = redis.GetSubscriber();
        var subscribed = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!subscribed && redis.IsConnected)
                {
                    // Once subscribed, StackExchange.Redis subscribes again by itself after a reconnect.
                    await subscriber.SubscribeAsync(channel, (_, m) => Apply(m.ToString())).WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                    subscribed = true;
                }
                if (subscribed && subscriber.IsConnected(channel)) live = true;
                else Off("not subscribed");
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                Off(ex.GetType().Name);
            }
            Purge();
            try { await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
