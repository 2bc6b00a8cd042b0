using System.Diagnostics;

namespace WeChatMall.Api.Infrastructure.Http;

public static class BenchEndpoints
{
    /// <summary>
    /// The bare-Kestrel baseline of scripts/bench.sh and the process counters it reads before and after a scenario
    /// (allocations, GCs, GC pauses, CPU), so a run reports per-request costs that do not depend on how busy the
    /// machine is. Mapped only when Bench:Enabled is true.
    /// </summary>
    public static IEndpointRouteBuilder MapBench(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IConfiguration>().GetValue<bool>("Bench:Enabled")) return app;
        app.MapGet("/bench/hello", () => "Hello, World!").ExcludeFromDescription();
        app.MapGet("/bench/stats", () =>
        {
            using var process = Process.GetCurrentProcess();
            return TypedResults.Text(string.Join(' ',
                GC.GetTotalAllocatedBytes(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
                (long)GC.GetTotalPauseDuration().TotalMicroseconds, (long)process.TotalProcessorTime.TotalMicroseconds,
                ThreadPool.ThreadCount, Monitor.LockContentionCount));
        }).ExcludeFromDescription();
        var gcPauses = new GcPauses();
        // Every GC pause since the last call, one line each: when it ended (UTC, ISO 8601), how long it was (ms), the GCs in it.
        app.MapGet("/bench/gc-pauses", () => TypedResults.Text(string.Concat(gcPauses.Take()
            .Select(p => FormattableString.Invariant($"{p.EndedUtc:O} {p.Ms:F2} {p.Gcs}\n"))))).ExcludeFromDescription();
        var stalls = new StallProbe(app.ServiceProvider.GetRequiredService<TimeProvider>());
        app.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(stalls.Dispose);
        // Every wait of 10 ms or more since the last call (StallProbe), one line each: when it ended (UTC), cpu or pool, how
        // long (ms), the thread pool's queued work items and threads at that moment.
        app.MapGet("/bench/stalls", () => TypedResults.Text(string.Concat(stalls.Take()
            .Select(s => FormattableString.Invariant($"{s.EndedUtc:O} {s.Kind} {s.Ms:F2} {s.QueuedWorkItems} {s.PoolThreads}\n"))))).ExcludeFromDescription();
        return app;
    }
}
