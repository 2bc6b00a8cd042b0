using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Campaigns;

namespace WeChatMall.Api.Features.Journeys;

/// <summary>
/// A journey's send steps go through the delivery engine as campaigns of their own (campaigns.journey_id), so every
/// channel rule, quota, subscribe credit, retry and result applies as to any campaign. These campaigns follow the
/// journey's status: running while it is active, paused with it (messages already queued stop too), cancelled when it
/// is archived.
/// </summary>
public sealed class JourneyCampaigns(CampaignTransitions transitions, RecipientStore recipients, IOptions<CampaignOptions> campaignOptions,
    TimeProvider time)
{
    /// <summary>Creates the campaigns of a version's send steps and brings them to the journey's status.</summary>
    public async Task CreateAsync(MySqlConnection c, MySqlTransaction tx, long journeyId, string journeyName, int version, JourneyDefinition d,
        string journeyStatus, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        for (var i = 0; i < d.Steps.Count; i++)
        {
            var step = d.Steps[i];
            if (step.Type != StepTypes.Send) continue;
            var campaignId = await CampaignStore.CreateForJourneyAsync(c, tx, $"{journeyName} · v{version} step {i}", journeyId,
                [.. step.Channels!.Distinct()], step.Content!, campaignOptions.Value.AttributionDays, now, ct);
            await JourneyStore.AddSendStepAsync(c, tx, journeyId, version, i, campaignId, ct);
            if (journeyStatus is JourneyStatus.Active or JourneyStatus.Paused)
                await transitions.ApplyAsync(c, tx, campaignId, CampaignTransitions.Move.Start, "journey active", ct);
            if (journeyStatus == JourneyStatus.Paused)
                await transitions.ApplyAsync(c, tx, campaignId, CampaignTransitions.Move.Pause, "journey paused", ct);
        }
    }

    /// <summary>Moves every campaign of the journey along with the journey's move (a campaign already there is left alone).</summary>
    public async Task FollowAsync(MySqlConnection c, MySqlTransaction tx, long journeyId, JourneyTransitions.Move move, CancellationToken ct)
    {
        foreach (var campaignId in await JourneyStore.CampaignsAsync(c, tx, journeyId, ct))
        {
            switch (move)
            {
                case JourneyTransitions.Move.Activate:
                    await transitions.ApplyAsync(c, tx, campaignId, CampaignTransitions.Move.Start, "journey active", ct);
                    break;
                case JourneyTransitions.Move.Pause:
                    await transitions.ApplyAsync(c, tx, campaignId, CampaignTransitions.Move.Pause, "journey paused", ct);
                    break;
                case JourneyTransitions.Move.Resume:
                    await transitions.ApplyAsync(c, tx, campaignId, CampaignTransitions.Move.Resume, "journey resumed", ct);
                    break;
                case JourneyTransitions.Move.Archive:
                    if (await transitions.ApplyAsync(c, tx, campaignId, CampaignTransitions.Move.Cancel, "journey archived", ct))
                        await recipients.CancelPendingAsync(c, tx, campaignId, ct);
                    break;
            }
        }
    }
}
