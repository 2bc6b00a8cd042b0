using System.Diagnostics;

namespace WeChatMall.Api.Infrastructure.Http;

/// <summary>
/// For scripts/bench.sh: tells why a request waited when no GC explains it. Every 5 ms a dedicated thread wakes and
/// measures two delays:
/// <list type="bullet">
/// <item><c>cpu</c>: how late its own wake-up was — the process was not given a core (every core busy) or was suspended
/// by a GC (compare with /bench/gc-pauses);</item>
/// <item><c>pool</c>: how long a work item it queued to the thread pool waited before a pool thread ran it — work queued
/// behind other work, or too few pool threads.</item>
/// </list>
/// Keeps every delay of <see cref="ThresholdMs"/> or more, with the pool's queue and threads at that moment. Only
/// created when Bench:Enabled is true.
/// </summary>
sealed class StallProbe : IDisposable
{
    const int TickMs = 5;
    const double ThresholdMs = 10;
    readonly TimeProvider clock;
    readonly Lock gate = new();
    readonly List<Stall> stalls = [];
    volatile bool stopped;
    long poolQueuedAt; // 0 when no probe item is waiting in the pool

    public sealed record Stall(DateTime EndedUtc, string Kind, double Ms, long QueuedWorkItems, int PoolThreads);

    public StallProbe(TimeProvider clock)
    {
        this.clock = clock;
        new Thread(Run) { IsBackground = true, Name = "bench stall probe" }.Start();
    }

    void Run()
    {
        while (!stopped)
        {
            var before = Stopwatch.GetTimestamp();
            Thread.Sleep(TickMs);
            var lateMs = Stopwatch.GetElapsedTime(before).TotalMilliseconds - TickMs;
            if (lateMs >= ThresholdMs) Record("cpu", lateMs);
            if (Interlocked.CompareExchange(ref poolQueuedAt, Stopwatch.GetTimestamp(), 0) == 0)
                ThreadPool.UnsafeQueueUserWorkItem(static probe => probe.PoolItemRan(), this, preferLocal: false);
        }
    }

    void PoolItemRan()
    {
        var waitedMs = Stopwatch.GetElapsedTime(Interlocked.Exchange(ref poolQueuedAt, 0)).TotalMilliseconds;
        if (waitedMs >= ThresholdMs) Record("pool", waitedMs);
    }

    void Record(string kind, double ms)
    {
        var stall = new Stall(clock.GetUtcNow().UtcDateTime, kind, ms, ThreadPool.PendingWorkItemCount, ThreadPool.ThreadCount);
        lock (gate) stalls.Add(stall);
    }

    /// <summary>The stalls recorded since the last call, and forgets them.</summary>
    public IReadOnlyList<Stall> Take()
    {
        lock (gate)
        {
            var taken = stalls.ToList();
            stalls.Clear();
            return taken;
        }
    }

    public void Dispose() => stopped = true;
}
