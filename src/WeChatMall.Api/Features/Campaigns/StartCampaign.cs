using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Audience.Segments;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>
/// POST /admin/campaigns/{id}/start: freezes the segment's members into recipient rows (one INSERT … SELECT, in the
/// transaction that moves the status), then waits for the send time, or for an owner's approval when the audience is
/// larger than Campaigns:ApprovalThreshold. A recurring campaign becomes 'recurring' (its audience counted, not frozen)
/// and makes a run at each occurrence; an approval covers all its runs.
/// </summary>
public static class StartCampaign
{
    public static async Task<Results<Ok<CampaignDto>, ProblemHttpResult>> Handle(long id, MySqlDataSource db, SegmentMembers segments,
        RecipientStore recipients, CampaignTransitions transitions, IOptions<CampaignOptions> options, ILogger<CampaignStore> logger, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        if (await CampaignStore.FindAsync(c, null, id, ct) is not { } campaign)
            return Problems.NotFound("CAMPAIGN_NOT_FOUND", $"There is no campaign {id}.");
        if (campaign.JourneyId is { } journey) return CampaignEndpoints.OwnedByJourney(id, journey);
        if (campaign.Status != CampaignStatus.Draft)
            return Problems.Conflict("CAMPAIGN_STATE_CONFLICT", $"Only a draft can be started; campaign {id} is {campaign.Status}.");
        if (await segments.SavedAsync(campaign.SegmentId, ct) is not { } rule)
            return Problems.Unprocessable("CAMPAIGN_SEGMENT_NOT_FOUND", $"Segment {campaign.SegmentId} no longer exists or its rule no longer compiles.");
        // A recurring definition freezes nothing now: each occurrence freezes the segment as it is then (CampaignRecurrence).
        var recurring = campaign.RecurrenceCron is not null;
        var counted = recurring ? await segments.CountAsync(rule, ct) : 0;
        await using var tx = await c.BeginTransactionAsync(ct);
        var frozen = recurring ? counted : await recipients.FreezeAsync(c, tx, id, rule, ct);
        await CampaignStore.SetAudienceSizeAsync(c, tx, id, frozen, ct);
        var move = frozen > options.Value.ApprovalThreshold ? CampaignTransitions.Move.StartForApproval : CampaignTransitions.Move.Start;
        if (!await transitions.ApplyAsync(c, tx, id, move, $"{frozen} recipients", ct))
        {
            await tx.RollbackAsync(ct);
            return Problems.Conflict("CAMPAIGN_STATE_CONFLICT", $"Campaign {id} was started by someone else meanwhile.");
        }
        await tx.CommitAsync(ct);
        Log.Started(logger, id, frozen);
        return TypedResults.Ok(CampaignDto.From((await CampaignStore.FindAsync(c, null, id, ct))!));
    }
}
