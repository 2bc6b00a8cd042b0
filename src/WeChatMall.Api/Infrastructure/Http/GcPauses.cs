using System.Diagnostics.Tracing;

namespace WeChatMall.Api.Infrastructure.Http;

/// <summary>
/// The runtime's own GC events, for scripts/bench.sh: every pause (execution engine suspended to restarted) with when it
/// ended, so a run can tell a GC stall from one elsewhere. Only created when Bench:Enabled is true.
/// </summary>
sealed class GcPauses : EventListener
{
    const int GcStart = 1, SuspendBegin = 9, RestartEnd = 3, PerHeapHistory = 204;
    const EventKeywords GcKeyword = (EventKeywords)0x1;
    readonly Lock gate = new();
    readonly List<(DateTime EndedUtc, double Ms, string Gcs)> pauses = [];
    DateTime? suspendedAt;
    string gcs = "";
    uint conditions;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Informational, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventId == SuspendBegin) suspendedAt = e.TimeStamp;
        else if (e.EventId == GcStart && e.Payload is { Count: >= 4 } p)
            gcs += FormattableString.Invariant($"{(gcs.Length > 0 ? "," : "")}gen{p[1]}/{Types[Convert.ToInt32(p[3])]}/reason{p[2]}");
        else if (e.EventId == PerHeapHistory && e.PayloadNames?.IndexOf("CondemnReasons1") is >= 0 and var i)
            conditions |= Convert.ToUInt32(e.Payload![i]); // why this generation, e.g. bit 13 (gen_gen2_too_small) makes a gen2 blocking
        else if (e.EventId == RestartEnd && suspendedAt is { } start)
        {
            var what = (gcs.Length > 0 ? gcs : "-") + (conditions != 0 ? FormattableString.Invariant($"/conditions0x{conditions:x}") : "");
            lock (gate) pauses.Add((e.TimeStamp, (e.TimeStamp - start).TotalMilliseconds, what));
            suspendedAt = null;
            gcs = "";
            conditions = 0;
        }
    }

    static readonly string[] Types = ["blocking", "background", "foreground"];

    /// <summary>The pauses recorded since the last call, and forgets them.</summary>
    public IReadOnlyList<(DateTime EndedUtc, double Ms, string Gcs)> Take()
    {
        lock (gate)
        {
            var taken = pauses.ToList();
            pauses.Clear();
            return taken;
        }
    }
}
