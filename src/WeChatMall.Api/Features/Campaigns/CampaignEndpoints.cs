using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Campaigns.Credits;
using WeChatMall.Api.Features.Campaigns.Mass;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.WeChat;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>Campaigns (docs/campaigns.md): the admin area, and the member's subscribe-prompt report.</summary>
public static class CampaignEndpoints
{
    public static void MapCampaigns(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/campaigns").WithTags("Campaigns admin").RequireAdmin(AdminArea.Campaigns);
        g.MapGet("/", List).WithName("AdminListCampaigns")
            .WithSummary("Newest first; status filters, beforeId pages (the last id of the previous page), limit 1–200 (default 200).");
        g.MapPost("/", CreateCampaign.Handle).WithName("AdminCreateCampaign");
        g.MapGet("/templates", Templates).WithName("AdminListCampaignTemplates");
        g.MapPost("/templates/sync", SyncTemplates).WithName("AdminSyncCampaignTemplates");
        g.MapGet("/{id:long}", Get).WithName("AdminGetCampaign");
        g.MapPost("/{id:long}/start", StartCampaign.Handle).WithName("AdminStartCampaign");
        // The owner's approval of a large audience. Until operator roles exist it is a separate action in this area.
        g.MapPost("/{id:long}/approve", (long id, MySqlDataSource db, CampaignTransitions t, CampaignStore s, CancellationToken ct)
            => MoveAsync(id, CampaignTransitions.Move.Approve, db, t, s, ct)).WithName("AdminApproveCampaign")
            .RequireAdmin(AdminArea.CampaignApproval);
        g.MapPost("/{id:long}/pause", (long id, MySqlDataSource db, CampaignTransitions t, CampaignStore s, CancellationToken ct)
            => MoveAsync(id, CampaignTransitions.Move.Pause, db, t, s, ct)).WithName("AdminPauseCampaign");
        g.MapPost("/{id:long}/resume", (long id, MySqlDataSource db, CampaignTransitions t, CampaignStore s, CancellationToken ct)
            => MoveAsync(id, CampaignTransitions.Move.Resume, db, t, s, ct)).WithName("AdminResumeCampaign");
        g.MapPost("/{id:long}/cancel", Cancel).WithName("AdminCancelCampaign");
        g.MapPost("/{id:long}/test-send", TestSend).WithName("AdminTestSendCampaign");
        g.MapGet("/{id:long}/results", Results).WithName("AdminCampaignResults");
        g.MapGet("/{id:long}/runs", Runs).WithName("AdminListCampaignRuns")
            .WithSummary("A recurring campaign's runs, one per occurrence, newest first (limit 1–200, default 50).");
        g.MapPut("/{id:long}/recurrence", SetRecurrence).WithName("AdminSetCampaignRecurrence")
            .WithSummary("Makes a draft recurring or changes the cron of a draft, paused or recurring campaign.");

        app.MapGroup("/api/me").WithTags("Members").RequireAuthorization(MemberAuth.Policy)
            .MapPost("/subscribe-results", SubscribeResults.Handle).WithName("ReportSubscribeResults");
        app.MapSubscribeCredits();
    }

    static readonly string[] Statuses = [.. typeof(CampaignStatus).GetFields().Select(f => (string)f.GetValue(null)!)];

    static async Task<Results<Ok<CampaignDto[]>, ValidationProblem>> List(string? status, long? beforeId, int? limit, CampaignStore campaigns,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !Statuses.Contains(status)) errors["status"] = [$"Use one of: {string.Join(", ", Statuses)}."];
        if (beforeId is < 1) errors["beforeId"] = ["An id of the previous page (1 or more)."];
        if (limit is < 1 or > 200) errors["limit"] = ["Between 1 and 200."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok((await campaigns.ListAsync(limit ?? 200, ct, status, beforeId)).Select(CampaignDto.From).ToArray());
    }

    static async Task<Results<Ok<CampaignDto>, ProblemHttpResult>> Get(long id, CampaignStore campaigns, CancellationToken ct) =>
        await campaigns.FindAsync(id, ct) is { } c ? TypedResults.Ok(CampaignDto.From(c)) : NotFound(id);

    static async Task<Ok<CampaignTemplateDto[]>> Templates(TemplateRegistry registry, CancellationToken ct) =>
        TypedResults.Ok((await registry.ListAsync(ct)).Templates.ToArray());

    static async Task<Results<Ok<CampaignTemplateDto[]>, ProblemHttpResult>> SyncTemplates(TemplateRegistry registry, IOptions<WeChatOptions> wechat,
        CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok((await registry.SyncAsync(!string.IsNullOrEmpty(wechat.Value.MiniProgram.AppId), ct)).ToArray());
        }
        catch (WeChatApiException e)
        {
            return Problems.Unavailable("CAMPAIGN_TEMPLATE_SYNC_FAILED", $"WeChat did not list the templates (errcode {e.Errcode}).");
        }
    }

    static async Task<Results<Ok<CampaignDto>, ProblemHttpResult>> MoveAsync(long id, CampaignTransitions.Move move, MySqlDataSource db,
        CampaignTransitions transitions, CampaignStore campaigns, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await CampaignStore.FindAsync(c, tx, id, ct) is not { } campaign) return NotFound(id);
        if (campaign.JourneyId is { } journey) return OwnedByJourney(id, journey);
        if (!await transitions.ApplyAsync(c, tx, id, move, null, ct))
            return Problems.Conflict("CAMPAIGN_STATE_CONFLICT", $"A campaign that is {campaign.Status} cannot {move.ToString().ToLowerInvariant()}.");
        await tx.CommitAsync(ct);
        return TypedResults.Ok(CampaignDto.From((await campaigns.FindAsync(id, ct))!));
    }

    static async Task<Results<Ok<CampaignDto>, ProblemHttpResult>> Cancel(long id, MySqlDataSource db, CampaignTransitions transitions,
        RecipientStore recipients, CampaignStore campaigns, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await CampaignStore.FindAsync(c, tx, id, ct) is not { } campaign) return NotFound(id);
        if (campaign.JourneyId is { } journey) return OwnedByJourney(id, journey);
        if (!await transitions.ApplyAsync(c, tx, id, CampaignTransitions.Move.Cancel, null, ct))
            return Problems.Conflict("CAMPAIGN_STATE_CONFLICT", $"A campaign that is {campaign.Status} cannot be cancelled.");
        await recipients.CancelPendingAsync(c, tx, id, ct);
        // Cancelling a recurring campaign ends it: its unfinished runs are cancelled with it.
        foreach (var run in campaign.RecurrenceCron is null ? [] : await CampaignStore.OpenRunIdsAsync(c, tx, id, ct))
            if (await transitions.ApplyAsync(c, tx, run, CampaignTransitions.Move.Cancel, $"campaign {id} cancelled", ct))
                await recipients.CancelPendingAsync(c, tx, run, ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(CampaignDto.From((await campaigns.FindAsync(id, ct))!));
    }

    static async Task<Results<Ok<TestSendDto>, ProblemHttpResult>> TestSend(long id, TestSendRequest request, CampaignStore campaigns,
        RecipientStore recipients, CampaignTestSend testSend, MassSender mass, CancellationToken ct)
    {
        if (await campaigns.FindAsync(id, ct) is not { } campaign) return NotFound(id);
        if (await recipients.ContextOfAsync(request.MemberId, campaign.ContentModel.Subscribe?.TemplateId, ct) is not { } member)
            return Problems.NotFound("CAMPAIGN_MEMBER_NOT_FOUND", $"There is no member {request.MemberId}.");
        // A mass campaign's test goes by WeChat's preview: it does not use up one of the member's four mass messages of the month.
        var (channel, reason, msgId, errcode) = campaign.ContentModel.Mass is { } massContent && campaign.ChannelList.Contains(CampaignChannels.Mass)
            ? await PreviewAsync(mass, massContent, member, ct)
            : await testSend.SendAsync(campaign, member, ct);
        if (channel is null)
            return Problems.Unprocessable("CAMPAIGN_TEST_NOT_DELIVERABLE", $"No channel of this campaign may reach member {request.MemberId} now: {reason}.",
                extra: new Dictionary<string, object?> { ["reason"] = reason });
        if (errcode is { } e)
            return Problems.Of(StatusCodes.Status502BadGateway, "CAMPAIGN_TEST_SEND_FAILED", $"WeChat refused the {channel} message with errcode {e}.",
                extra: new Dictionary<string, object?> { ["errcode"] = e });
        return TypedResults.Ok(new TestSendDto(request.MemberId, channel, msgId));
    }

    static async Task<(string? Channel, string? Reason, long? MsgId, int? Errcode)> PreviewAsync(MassSender mass, MassCampaignContent content,
        RecipientContext member, CancellationToken ct)
    {
        var (reason, msgId, errcode) = await mass.PreviewAsync(content, member, ct);
        return (reason is null ? CampaignChannels.Mass : null, reason, msgId, errcode);
    }

    static async Task<Results<Ok<CampaignResultsDto>, ProblemHttpResult>> Results(long id, CampaignResults results, CancellationToken ct) =>
        await results.GetAsync(id, ct) is { } r ? TypedResults.Ok(r) : NotFound(id);

    static async Task<Results<Ok<CampaignRunDto[]>, ProblemHttpResult>> Runs(long id, int? limit, CampaignStore campaigns, CancellationToken ct)
    {
        if (limit is < 1 or > 200) return Problems.BadRequest("CAMPAIGN_INVALID", "limit: between 1 and 200.");
        if (await campaigns.FindAsync(id, ct) is null) return NotFound(id);
        return TypedResults.Ok((await campaigns.RunsAsync(id, limit ?? 50, ct)).Select(CampaignRunDto.From).ToArray());
    }

    static async Task<Results<Ok<CampaignDto>, ProblemHttpResult>> SetRecurrence(long id, CampaignRecurrenceRequest request, MySqlDataSource db,
        CampaignStore campaigns, IOptions<CampaignOptions> options, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (CampaignRecurrence.Check(request.Cron, options.Value.MinRecurrenceInterval, now) is { } bad)
            return Problems.BadRequest(bad.Code, "The recurrence cannot be used.", bad.Detail);
        var cron = request.Cron.Trim();
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await CampaignStore.FindAsync(c, tx, id, ct) is not { } campaign) return NotFound(id);
        if (campaign.JourneyId is { } journey) return OwnedByJourney(id, journey);
        if (!await CampaignStore.SetRecurrenceAsync(c, tx, id, cron, CampaignRecurrence.NextAfter(cron, now), now, ct))
            return Problems.Conflict("CAMPAIGN_STATE_CONFLICT",
                $"Only a draft, paused or recurring campaign takes a recurrence; campaign {id} is {campaign.Status}{(campaign.ParentId is null ? "" : " (a run)")}.");
        await tx.CommitAsync(ct);
        return TypedResults.Ok(CampaignDto.From((await campaigns.FindAsync(id, ct))!));
    }

    // A journey's send step moves with the journey (POST /admin/journeys/{id}/pause …), never on its own.
    public static ProblemHttpResult OwnedByJourney(long id, long journeyId) => Problems.Conflict("CAMPAIGN_OWNED_BY_JOURNEY",
        $"Campaign {id} carries a step of journey {journeyId}: pause, resume or archive the journey instead.");

    static ProblemHttpResult NotFound(long id) => Problems.NotFound("CAMPAIGN_NOT_FOUND", $"There is no campaign {id}.");
}
