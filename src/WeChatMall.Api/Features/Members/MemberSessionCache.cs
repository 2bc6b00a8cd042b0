using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Features.Members;

/// <summary>
/// A short per-instance memory of session lookups (token hash → member), so a shopper tapping "buy" again and again
/// costs no Redis round trip to authenticate (docs/flash-sale.md). Revocation stays immediate on every instance:
/// <see cref="MemberSessions"/> publishes each logout and merge on a Redis channel after deleting the session, and
/// every instance drops the entries concerned when the message arrives. The cache is used only while that channel is
/// subscribed and connected: a lost connection empties it and turns it off until the subscription is back. What no
/// signal can catch (a message lost on a link that has not yet noticed it is broken) is bounded by
/// Members:SessionCacheSeconds, the longest an entry lives; an entry never outlives its session either.
/// </summary>
public sealed partial class MemberSessionCache(IConnectionMultiplexer redis, RedisKeys keys, IOptions<MemberOptions> options,
    ILogger<MemberSessionCache> logger) : BackgroundService
{
    const int MaxEntries = 200_000;
    readonly record struct Entry(long MemberId, long ExpiresAtMs);

    readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    readonly RedisChannel channel = RedisChannel.Literal(keys.Channel("member-sessions"));
    long invalidations;
    volatile bool live;

    /// <summary>Bumped by every invalidation: a lookup stores its answer only if no invalidation happened since it began.</summary>
    public long Version => Interlocked.Read(ref invalidations);

    bool On => live && options.Value.SessionCacheSeconds > 0;

    /// <summary>True while lookups are remembered (the invalidation channel is subscribed and connected).</summary>
    public bool Active => On;

    public bool TryGet(string tokenHash, out long memberId)
    {
        memberId = 0;
        if (!On || !entries.TryGetValue(tokenHash, out var e)) return false;
        if (e.ExpiresAtMs <= Environment.TickCount64)
        {
            entries.TryRemove(new KeyValuePair<string, Entry>(tokenHash, e));
            return false;
        }
        memberId = e.MemberId;
        return true;
    }

    /// <summary>Remembers a lookup's answer, unless anything was invalidated since <paramref name="versionBefore"/>.</summary>
    public void Store(string tokenHash, long memberId, TimeSpan? sessionLeft, long versionBefore)
    {
        if (!On || sessionLeft is not { } left || entries.Count >= MaxEntries) return;
        var life = Math.Min(options.Value.SessionCacheSeconds * 1000L, (long)left.TotalMilliseconds);
        if (life <= 0) return;
        entries[tokenHash] = new Entry(memberId, Environment.TickCount64 + life);
        // An invalidation that ran between the lookup and here may have missed the entry: drop it (it is only a miss).
        if (Version != versionBefore) entries.TryRemove(tokenHash, out _);
    }

    /// <summary>Drops one session here and tells every other instance (after its key was deleted in Redis).</summary>
    public Task RevokedAsync(string tokenHash) => InvalidateEverywhereAsync("t:" + tokenHash);

    /// <summary>Drops every session of the member here and on every other instance.</summary>
    public Task RevokedAllAsync(long memberId) => InvalidateEverywhereAsync("m:" + memberId.ToString(CultureInfo.InvariantCulture));

    async Task InvalidateEverywhereAsync(string message)
    {
        Apply(message);
        await redis.GetSubscriber().PublishAsync(channel, message);
    }

    void Apply(string message)
    {
        Interlocked.Increment(ref invalidations);
        if (message.StartsWith("t:", StringComparison.Ordinal)) entries.TryRemove(message[2..], out _);
        else if (message.StartsWith("m:", StringComparison.Ordinal)
                 && long.TryParse(message.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var memberId))
        {
            foreach (var (hash, e) in entries)
                if (e.MemberId == memberId) entries.TryRemove(hash, out _);
        }
        else Clear();
    }

    void Clear()
    {
        Interlocked.Increment(ref invalidations);
        entries.Clear();
    }

    void Off(string reason)
    {
        if (live) Log.CacheOff(logger, reason);
        live = false;
        Clear();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.SessionCacheSeconds <= 0) return;
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

    void Purge()
    {
        var now = Environment.TickCount64;
        foreach (var (hash, e) in entries)
            if (e.ExpiresAtMs <= now) entries.TryRemove(new KeyValuePair<string, Entry>(hash, e));
    }

    static partial class Log
    {
        [LoggerMessage(20301, LogLevel.Warning, "Member session cache off until its invalidation channel is back ({Reason}): every request asks Redis")]
        public static partial void CacheOff(ILogger logger, string reason);
    }
}
