using Microsoft.Extensions.Options;
using WeChatMall.Api.Infrastructure.Database;
using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Journeys;

/// <summary>
/// The journey worker (Jobs:JourneyAdvance, in every instance at once): for each active journey, lets in the members its
/// trigger names, lets out those who reached the goal, and advances due members batch by batch under claims. Instances
/// share the work through the claims; a dead one's members are taken over when its claims lapse. The journey's status is
/// re-read before every batch, so a pause stops it within one batch.
/// </summary>
public sealed class JourneyAdvanceJob(JourneyStore journeys, JourneyMemberStore members, JourneyTriggers triggers, JourneyRunner runner,
    IOptions<JourneyOptions> options, TimeProvider time, ILogger<JourneyAdvanceJob> logger, JobServices jobs) : PeriodicJob(jobs)
{
    public override string Name => "JourneyAdvance";
    protected override TimeSpan DefaultInterval => TimeSpan.FromSeconds(5);

    protected override async Task RunAsync(CancellationToken ct)
    {
        foreach (var journey in await journeys.ActiveAsync(ct))
        {
            await EnrolAsync(journey, ct);
            await ExitBuyersAsync(journey, ct);
            await AdvanceAsync(journey.Id, ct);
        }
    }

    // Each pass reads only what is new: an event trigger from where the last pass stopped (less an overlap), a state
    // trigger (which takes everyone in the state, a scan of all members) at most every StateTriggerMinutes.
    async Task EnrolAsync(JourneyRow journey, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var d = await journeys.VersionAsync(journey.Id, journey.CurrentVersion, ct);
        var since = journey.ActivatedAt!.Value;
        if (journey.EnrolledThrough is { } through)
        {
            if (TriggerTypes.IsState(d.Trigger.Type))
            {
                if (now - through < TimeSpan.FromMinutes(o.StateTriggerMinutes)) return;
            }
            else if (through.AddSeconds(-o.EnrolOverlapSeconds) > since) since = through.AddSeconds(-o.EnrolOverlapSeconds);
        }
        if (triggers.For(d.Trigger, since, now) is not { } query) return;
        var entered = await LockConflictRetry.RunAsync(() => members.EnrolAsync(journey.Id, journey.CurrentVersion, query, ct), ct);
        await journeys.MarkEnrolledAsync(journey.Id, journey.CurrentVersion, now, ct);
        if (entered > 0) Log.Entered(logger, journey.Id, entered);
    }

    async Task ExitBuyersAsync(JourneyRow journey, CancellationToken ct)
    {
        foreach (var version in await members.LiveVersionsAsync(journey.Id, ct))
        {
            if ((await journeys.VersionAsync(journey.Id, version, ct)).Goal?.Type != GoalTypes.Bought) continue;
            var left = await LockConflictRetry.RunAsync(() => members.ExitBuyersAsync(journey.Id, version, ct), ct);
            if (left > 0) Log.GoalReached(logger, journey.Id, left);
        }
    }

    async Task AdvanceAsync(long journeyId, CancellationToken ct)
    {
        var o = options.Value;
        while (!ct.IsCancellationRequested)
        {
            if ((await journeys.FindAsync(journeyId, ct))?.Status != JourneyStatus.Active) return;
            var token = Guid.NewGuid().ToString("N");
            var batch = await members.ClaimAsync(journeyId, token, o.BatchSize, TimeSpan.FromSeconds(o.ClaimSeconds), ct);
            if (batch.Count == 0) return;
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = o.Parallelism, CancellationToken = ct },
                async (member, token2) => await runner.AdvanceAsync(member, token, token2));
        }
    }
}
