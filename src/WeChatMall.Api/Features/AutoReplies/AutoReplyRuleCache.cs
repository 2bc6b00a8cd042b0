using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Features.AutoReplies;

/// <summary>
/// The rule set, cached in process (L1) and in Redis (L2), both keyed by a version number kept in Redis.
/// A write bumps the version and publishes it; every instance drops its L1 when it hears a newer version, and
/// re-checks the version at most every <see cref="RecheckInterval"/> in case a message was missed. An L2 entry is
/// stored under its version, so a slow loader can never put old rules back under the current version.
/// When Redis is down or slower than Redis:CallTimeoutMs (the callback waits on this) the last L1 keeps answering
/// (or MySQL, when there is none).
/// </summary>
public sealed class AutoReplyRuleCache(
    AutoReplyStore store, IDatabase redis, IConnectionMultiplexer multiplexer, RedisKeys keys, TimeProvider clock,
    IOptions<RedisOptions> redisOptions, ILogger<AutoReplyRuleCache> logger)
{
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(30);
    private static readonly string VersionKey = RedisKeys.AutoReplyVersion;
    private const string ChannelName = "autoreply";
    private static string SnapshotKey(long version) => RedisKeys.AutoReplyRules(version);

    private volatile RuleSnapshot? local;
    private long knownVersion;
    private readonly SemaphoreSlim loadLock = new(1, 1);
    private int subscribed;

    public async Task<RuleSnapshot> GetAsync(CancellationToken ct)
    {
        EnsureSubscribed();
        var snapshot = local;
        if (snapshot is not null && snapshot.Version >= Interlocked.Read(ref knownVersion)
            && clock.GetUtcNow() - snapshot.CheckedAt < RecheckInterval)
            return snapshot;

        await loadLock.WaitAsync(ct);
        try
        {
            snapshot = local;
            var version = await ReadVersionAsync(snapshot?.Version);
            // version < 0: Redis is unreachable, so the rules we already hold are the best we can know.
            if (snapshot is not null && (version < 0 || snapshot.Version >= version))
                return local = snapshot with { CheckedAt = clock.GetUtcNow() };
            return local = await LoadAsync(version, ct);
        }
        finally
        {
            loadLock.Release();
        }
    }

    /// <summary>Call after every committed write to the rules.</summary>
    public async Task InvalidateAsync()
    {
        local = null;
        try
        {
            var version = await redis.StringIncrementAsync(VersionKey);
            RaiseKnownVersion(version);
            await multiplexer.GetSubscriber().PublishAsync(RedisChannel.Literal(keys.Channel(ChannelName)), version);
        }
        catch (Exception ex) when (RedisDeadline.IsOutage(ex))
        {
            // Other instances pick the change up at their next version re-check once Redis is back.
            Log.InvalidateFailed(logger, ex);
        }
    }

    private async Task<long> ReadVersionAsync(long? fallback)
    {
        try
        {
            var version = (long?)await redis.StringGetAsync(VersionKey).WithDeadline(redisOptions.Value.CallTimeout) ?? 0;
            RaiseKnownVersion(version);
            return version;
        }
        catch (Exception ex) when (RedisDeadline.IsOutage(ex))
        {
            Log.RedisUnavailable(logger, ex.Message);
            return fallback ?? -1;
        }
    }

    private async Task<RuleSnapshot> LoadAsync(long version, CancellationToken ct)
    {
        if (version >= 0)
        {
            try
            {
                var cached = await redis.StringGetAsync(SnapshotKey(version)).WithDeadline(redisOptions.Value.CallTimeout);
                if (cached.HasValue)
                    return RuleSnapshot.Create(version, JsonSerializer.Deserialize<List<AutoReplyRule>>((string)cached!, JsonSerializerOptions.Web)!, clock.GetUtcNow());
            }
            catch (Exception ex) when (RedisDeadline.IsOutage(ex)) { Log.RedisUnavailable(logger, ex.Message); }
        }
        var rules = await store.ListAsync(ct);
        if (version >= 0)
        {
            try { await redis.StringSetAsync(SnapshotKey(version), JsonSerializer.Serialize(rules, JsonSerializerOptions.Web), TimeSpan.FromHours(1)).WithDeadline(redisOptions.Value.CallTimeout); }
            catch (Exception ex) when (RedisDeadline.IsOutage(ex)) { Log.RedisUnavailable(logger, ex.Message); }
        }
        return RuleSnapshot.Create(version >= 0 ? version : Interlocked.Read(ref knownVersion), rules, clock.GetUtcNow());
    }

    private void EnsureSubscribed()
    {
        if (Interlocked.Exchange(ref subscribed, 1) == 1) return;
        // Not awaited: the callback must not wait on pub/sub. A failed subscription is retried on a later call;
        // meanwhile the periodic version re-check keeps instances in step.
        _ = multiplexer.GetSubscriber().SubscribeAsync(RedisChannel.Literal(keys.Channel(ChannelName)), (_, message) =>
        {
            if (message.TryParse(out long version)) RaiseKnownVersion(version);
        }).ContinueWith(t =>
        {
            Interlocked.Exchange(ref subscribed, 0);
            Log.RedisUnavailable(logger, t.Exception!.GetBaseException().Message);
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private void RaiseKnownVersion(long version)
    {
        long current;
        while (version > (current = Interlocked.Read(ref knownVersion)))
            if (Interlocked.CompareExchange(ref knownVersion, version, current) == current) return;
    }
}

static partial class Log
{
    [LoggerMessage(4101, LogLevel.Warning, "Auto-reply rule cache: Redis unavailable, using the last rules loaded ({Reason})")]
    public static partial void RedisUnavailable(ILogger logger, string reason);

    [LoggerMessage(4102, LogLevel.Error, "Auto-reply rule change could not be announced through Redis")]
    public static partial void InvalidateFailed(ILogger logger, Exception ex);
}
