using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>
/// A short per-instance memory of flash-sale SKUs the gate answered sold out (docs/flash-sale.md), so that the
/// thousands of late attempts of a sale are refused without a Redis round trip. Every change that can put a unit back
/// in a gate (a reservation given back, a gate dropped or rebuilt from MySQL) is published on a Redis channel by
/// <see cref="FlashSaleGate"/>, and every instance forgets the SKU when the message arrives (<see cref="InvalidatedMemory"/>:
/// used only while that channel is connected). What no signal can catch (a gate edited by hand) is bounded by
/// FlashSale:SoldOutMemoryMilliseconds.
/// </summary>
public sealed partial class FlashSaleSoldOut(IConnectionMultiplexer redis, RedisKeys keys, IOptions<FlashSaleOptions> options,
    ILogger<FlashSaleSoldOut> logger) : InvalidatedMemory(redis, RedisChannel.Literal(keys.Channel("flash-sale-stock")))
{
    readonly ConcurrentDictionary<long, long> soldOutUntilMs = new();

    // An entry that ran out is kept this long (only ever read as "ask the gate", through one probe) so that the next
    // attempt after the memory's time still finds it and the others wait for that one instead of all asking at once.
    const long ExpiredKeptMs = 10_000;

    // The one attempt per SKU that asks the gate again when the memory of the SKU ran out (see Check).
    readonly ConcurrentDictionary<long, TaskCompletionSource> probes = new();

    /// <summary>What <see cref="Check"/> found.</summary>
    public enum Memory
    {
        /// <summary>Nothing remembered: ask the gate.</summary>
        Unknown,
        /// <summary>Remembered sold out: refuse.</summary>
        SoldOut,
        /// <summary>The memory just ran out and this caller asks the gate again; it must call <see cref="EndProbe"/> once answered.</summary>
        Probe,
        /// <summary>The memory ran out and another attempt is asking the gate: wait for it, then ask <see cref="IsSoldOut"/>.</summary>
        Wait,
    }

    protected override bool Enabled => options.Value.SoldOutMemoryMilliseconds > 0;

    /// <summary>True while answers are remembered (the invalidation channel is subscribed and connected).</summary>
    public bool Active => Live;

    /// <summary>True when nothing is remembered: the cheapest test, for every attempt of every order.</summary>
    public bool IsEmpty => soldOutUntilMs.IsEmpty;

    /// <summary>True while the gate of <paramref name="skuId"/> is known to hold no unit at all.</summary>
    public bool IsSoldOut(long skuId)
    {
        if (!Live || !soldOutUntilMs.TryGetValue(skuId, out var until)) return false;
        if (until > Environment.TickCount64) return true;
        if (!probes.ContainsKey(skuId)) soldOutUntilMs.TryRemove(new KeyValuePair<long, long>(skuId, until));
        return false;
    }

    /// <summary>
    /// Like <see cref="IsSoldOut"/>, but when the memory of the SKU has just run out only the first caller goes on to ask
    /// the gate (<see cref="Memory.Probe"/>); the attempts arriving meanwhile wait for that answer
    /// (<see cref="Memory.Wait"/>, <paramref name="probe"/> completes when the gate answered, the SKU was invalidated or
    /// the probe ended) instead of all asking the gate at once.
    /// </summary>
    public Memory Check(long skuId, out TaskCompletionSource? probe)
    {
        probe = null;
        if (!Live || !soldOutUntilMs.TryGetValue(skuId, out var until)) return Memory.Unknown;
        if (until > Environment.TickCount64) return Memory.SoldOut;
        if (probes.TryGetValue(skuId, out probe)) return Memory.Wait;
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!probes.TryAdd(skuId, mine))
            return probes.TryGetValue(skuId, out probe) ? Memory.Wait : Memory.Unknown;
        // An invalidation between the read above and the probe's start must not leave waiters behind a probe nobody needs.
        if (!soldOutUntilMs.ContainsKey(skuId))
        {
            EndProbe(skuId, mine);
            return Memory.Unknown;
        }
        probe = mine;
        return Memory.Probe;
    }

    /// <summary>The probing attempt is over: if the gate's answer did not renew the memory, the SKU is forgotten and the waiters go on.</summary>
    public void EndProbe(long skuId, TaskCompletionSource probe)
    {
        if (!probes.TryRemove(new KeyValuePair<long, TaskCompletionSource>(skuId, probe))) return;
        if (soldOutUntilMs.TryGetValue(skuId, out var until) && until <= Environment.TickCount64)
            soldOutUntilMs.TryRemove(new KeyValuePair<long, long>(skuId, until));
        probe.TrySetResult();
    }

    void Release(long skuId)
    {
        if (probes.TryRemove(skuId, out var probe)) probe.TrySetResult();
    }

    /// <summary>Remembers that the gate had no unit left, unless anything was invalidated since <paramref name="versionBefore"/>.</summary>
    public void Remember(long skuId, long versionBefore)
    {
        if (!Live || Version != versionBefore) return;
        soldOutUntilMs[skuId] = Environment.TickCount64 + options.Value.SoldOutMemoryMilliseconds;
        // An invalidation that ran between the check above and the store may have missed the entry: drop it.
        if (Version != versionBefore) soldOutUntilMs.TryRemove(skuId, out _);
        Release(skuId); // attempts waiting for a probe of this SKU read the renewed memory
    }

    /// <summary>
    /// Forgets the SKUs here and on every other instance: units may be back in their gates. Called after the change
    /// in Redis, so an instance that forgets and asks again sees it. Best effort: the memory's lifetime bounds a failure.
    /// </summary>
    public async Task UnitsBackAsync(IEnumerable<long> skuIds)
    {
        foreach (var skuId in skuIds)
        {
            try
            {
                await InvalidateEverywhereAsync(skuId.ToString(CultureInfo.InvariantCulture));
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                Log.PublishFailed(logger, skuId, ex.GetType().Name);
            }
        }
    }

    protected override void Forget(string message)
    {
        if (long.TryParse(message, NumberStyles.None, CultureInfo.InvariantCulture, out var skuId))
        {
            soldOutUntilMs.TryRemove(skuId, out _);
            Release(skuId);
        }
        else ForgetAll();
    }

    protected override void ForgetAll()
    {
        soldOutUntilMs.Clear();
        foreach (var skuId in probes.Keys) Release(skuId);
    }

    protected override void LogOff(string reason) => Log.MemoryOff(logger, reason);

    protected override void Purge()
    {
        var now = Environment.TickCount64;
        foreach (var (skuId, until) in soldOutUntilMs)
            if (until + ExpiredKeptMs <= now && !probes.ContainsKey(skuId)) soldOutUntilMs.TryRemove(new KeyValuePair<long, long>(skuId, until));
    }

    static partial class Log
    {
        [LoggerMessage(20206, LogLevel.Warning, "Flash-sale sold-out memory off until its channel is back ({Reason}): every attempt asks the gate")]
        public static partial void MemoryOff(ILogger logger, string reason);

        [LoggerMessage(20207, LogLevel.Warning, "Flash-sale SKU {SkuId}: units back in the gate could not be announced ({Error}); other instances forget it within FlashSale:SoldOutMemoryMilliseconds")]
        public static partial void PublishFailed(ILogger logger, long skuId, string error);
    }
}
