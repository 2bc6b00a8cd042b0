using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Campaigns.Mass;
using WeChatMall.Api.Infrastructure.Jobs;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>
/// The delivery engine (Jobs:CampaignDelivery, every second, in every instance at once): starts campaigns that are due,
/// wakes parked ones whose time came, and sends running ones batch by batch. Instances share the work through claims
/// on recipient rows, not a lease, so two instances send twice as fast and a dead one's batch is taken over when its
/// claim lapses. Recurring campaigns make their due runs first (CampaignRecurrence). The campaign's status is re-read before every batch: pause and cancel stop within one batch.
/// </summary>
public sealed class CampaignDeliveryJob(
    CampaignStore campaigns, RecipientStore recipients, CampaignSender sender, MassSender mass, CampaignTransitions transitions, MySqlDataSource db,
    QuotaGovernor quotas, IOptions<CampaignOptions> options, TimeProvider time, ILogger<CampaignDeliveryJob> logger, JobServices jobs,
    CampaignRecurrence recurrence)
    : PeriodicJob(jobs)
{
    public override string Name => "CampaignDelivery";
    protected override TimeSpan DefaultInterval => TimeSpan.FromSeconds(1);

    protected override async Task RunAsync(CancellationToken ct)
    {
        await recurrence.OccurDueAsync(ct);
        await recipients.EndStrandedOfCancelledAsync(ct);
        foreach (var campaign in await campaigns.ActiveAsync(ct))
        {
            if (campaign.Status == CampaignStatus.Scheduled && !await MoveAsync(campaign.Id, CampaignTransitions.Move.Run, null, ct)) continue;
            if (campaign.Status == CampaignStatus.Parked && !await MoveAsync(campaign.Id, CampaignTransitions.Move.Unpark, "quota reset", ct)) continue;
            if (campaign.IsQuiet(time.GetUtcNow().UtcDateTime)) continue;
            await DeliverAsync(campaign, ct);
        }
    }

    async Task DeliverAsync(CampaignRow campaign, CancellationToken ct)
    {
        var content = campaign.ContentModel;
        await recipients.RecoverAsync(campaign.Id, ct);
        while (!ct.IsCancellationRequested)
        {
            await using (var c = await db.OpenConnectionAsync(ct))
                if (await CampaignStore.StatusAsync(c, campaign.Id, ct) != CampaignStatus.Running) return;
            var token = Guid.NewGuid().ToString("N");
            var (worked, signal) = content.Mass is { } massContent && campaign.ChannelList is [CampaignChannels.Mass]
                ? await mass.SendNextAsync(campaign, massContent, token, ct)
                : await SendBatchAsync(campaign, content, token, ct);
            if (!worked)
            {
                // A journey's campaign stays running: members keep reaching its step.
                if (campaign.JourneyId is null && await recipients.OpenCountAsync(campaign.Id, ct) == 0
                    && await MoveAsync(campaign.Id, CampaignTransitions.Move.Complete, null, ct))
                    Log.Completed(logger, campaign.Id);
                return;
            }
            if (signal == CampaignSender.Signal.Continue) continue;
            var now = time.GetUtcNow().UtcDateTime;
            if (signal == CampaignSender.Signal.Yield)
            {
                await recipients.ReleaseAsync(token, now, ct);
                return;
            }
            if (signal == CampaignSender.Signal.MinuteFull)
            {
                await recipients.ReleaseAsync(token, quotas.NextMinute(), ct);
                return;
            }
            await recipients.ReleaseAsync(token, now, ct);
            var until = ChinaTime.NextMidnightUtc(now);
            if (await MoveAsync(campaign.Id, CampaignTransitions.Move.Park, "quota", ct, until)) Log.Parked(logger, campaign.Id, until, "daily quota spent");
            return;
        }
    }

    async Task<(bool Worked, CampaignSender.Signal Signal)> SendBatchAsync(CampaignRow campaign, CampaignContent content, string token, CancellationToken ct)
    {
        var o = options.Value;
        if (await recipients.ClaimAsync(campaign.Id, token, o.BatchSize, TimeSpan.FromSeconds(o.ClaimSeconds), ct) == 0) return (false, CampaignSender.Signal.Continue);
        var batch = await recipients.ClaimedAsync(token, content.Subscribe?.TemplateId, ct);
        return (true, await sender.SendBatchAsync(campaign, content, batch, token, ct));
    }

    async Task<bool> MoveAsync(long id, CampaignTransitions.Move move, string? note, CancellationToken ct, DateTime? parkedUntil = null)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var moved = await transitions.ApplyAsync(c, tx, id, move, note, ct, parkedUntil);
        await tx.CommitAsync(ct);
        return moved;
    }
}
