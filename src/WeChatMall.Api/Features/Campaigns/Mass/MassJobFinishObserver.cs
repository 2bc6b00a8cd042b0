using System.Data.Common;
using System.Text.Json;
using WeChatMall.Api.Features.Followers;

namespace WeChatMall.Api.Features.Campaigns.Mass;

/// <summary>
/// <c>MASSSENDJOBFINISH</c> at the callback: WeChat's counts for a mass job (total, filtered, sent, errors), recorded
/// by msg_id in the transaction that logs the event. Only events logged for the first time reach observers, and the
/// first report per msg_id wins, so a retried or replayed callback changes nothing.
/// </summary>
public sealed class MassJobFinishObserver(TimeProvider time) : IFollowerEventObserver
{
    // WeChat spells it MASSSENDJOBFINISH; compared without case, as FollowerEvent.Change does.
    const string EventName = "masssendjobfinish";

    public async Task ObserveAsync(DbConnection c, DbTransaction tx, IReadOnlyList<FollowerEvent> events, CancellationToken ct)
    {
        foreach (var e in events.Where(e => string.Equals(e.Event, EventName, StringComparison.OrdinalIgnoreCase) && e.MsgId is not null && !string.IsNullOrEmpty(e.Content)))
        {
            MassJobReport? report;
            try
            {
                report = JsonSerializer.Deserialize<MassJobReport>(e.Content!);
            }
            catch (JsonException)
            {
                continue; // not written by InboundMapping: nothing to record
            }
            if (report is not null) await MassJobStore.RecordResultAsync(c, tx, e.MsgId!.Value, report, time.GetUtcNow().UtcDateTime, ct);
        }
    }
}
