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
/// every instance drops the entries concerned when the message arrives (<see cref="InvalidatedMemory"/>: used only while
/// that channel is connected). What no signal can catch is bounded by Members:SessionCacheSeconds, the longest an
/// entry lives; an entry never outlives its session either.
/// </summary>
public sealed partial class MemberSessionCache(IConnectionMultiplexer redis, RedisKeys keys, IOptions<MemberOptions> options,
    ILogger<MemberSessionCache> logger) : InvalidatedMemory(redis, RedisChannel.Literal(keys.Channel("member-sessions")))
{
    const int MaxEntries = 200_000;
    readonly record struct Entry(long MemberId, long ExpiresAtMs);

    readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    protected override bool Enabled => options.Value.SessionCacheSeconds > 0;

    /// <summary>True while lookups are remembered (the invalidation channel is subscribed and connected).</summary>
    public bool Active => Live;

    public bool TryGet(string tokenHash, out long memberId) => TryGet(tokenHash.AsSpan(), out memberId);

    /// <summary>The same lookup by the hash's characters, without a string (the sold-out shortcut's path).</summary>
    public bool TryGet(ReadOnlySpan<char> tokenHash, out long memberId)
    {
        memberId = 0;
        var lookup = entries.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!Live || !lookup.TryGetValue(tokenHash, out var hash, out var e)) return false;
        if (e.ExpiresAtMs <= Environment.TickCount64)
        {
            entries.TryRemove(new KeyValuePair<string, Entry>(hash, e));
            return false;
        }
        memberId = e.MemberId;
        return true;
    }

    /// <summary>Remembers a lookup's answer, unless anything was invalidated since <paramref name="versionBefore"/>.</summary>
    public void Store(string tokenHash, long memberId, TimeSpan? sessionLeft, long versionBefore)
    {
        if (!Live || sessionLeft is not { } left || entries.Count >= MaxEntries) return;
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

    protected override void Forget(string message)
    {
        if (message.StartsWith("t:", StringComparison.Ordinal)) entries.TryRemove(message[2..], out _);
        else if (message.StartsWith("m:", StringComparison.Ordinal)
                 && long.TryParse(message.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var memberId))
        {
            foreach (var (hash, e) in entries)
                if (e.MemberId == memberId) entries.TryRemove(hash, out _);
        }
        else entries.Clear();
    }

    protected override void ForgetAll() => entries.Clear();

    protected override void LogOff(string reason) => Log.CacheOff(logger, reason);

    protected override void Purge()
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
