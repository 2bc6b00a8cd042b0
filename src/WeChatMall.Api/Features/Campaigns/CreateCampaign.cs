using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Audience.Segments;
using WeChatMall.Api.Features.Campaigns.Mass;
using WeChatMall.Api.Features.Offers;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>POST /admin/campaigns: a draft, its content checked against WeChat's field rules and the template registry.</summary>
public static class CreateCampaign
{
    public static async Task<Results<Created<CampaignDto>, ProblemHttpResult>> Handle(CreateCampaignRequest request, CampaignStore campaigns,
        SegmentStore segments, TemplateRegistry registry, IOptions<CampaignOptions> options, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var channels = request.Channels.Distinct().ToList();
        if (channels.FirstOrDefault(ch => !CampaignChannels.All.Contains(ch)) is { } unknown)
            return Invalid([$"channels: unknown channel '{unknown}' (use {string.Join(", ", CampaignChannels.All)})"]);
        if ((request.QuietStart is null) != (request.QuietEnd is null)) return Invalid(["quietStart/quietEnd: give both or neither"]);
        if (channels.Contains(CampaignChannels.Mass))
        {
            if (channels.Count > 1) return Invalid(["channels: mass is a campaign of its own, not a fallback of another channel"]);
            if (CampaignContent.Placeholders(request.Content.Mass?.Text) is { Count: > 0 } placeholders)
                return Problems.BadRequest("CAMPAIGN_MASS_PERSONALISED",
                    $"A mass send is one message for all its followers, so {string.Join(", ", placeholders)} cannot be filled in: remove the placeholders.");
            if (request.Content.Mass?.TagId is { } tagId && await MassJobStore.WeChatTagOfAsync(db, tagId, ct) is null)
                return Problems.Unprocessable("CAMPAIGN_MASS_TAG_NOT_SYNCED",
                    $"Tag {tagId} does not exist or is not synced to a WeChat tag (POST /admin/tags/{tagId}/wechat-sync).");
        }
        var errors = request.Content.Check(channels, await registry.ListAsync(ct));
        if (errors.Count > 0) return Invalid(errors);
        if (request.Recurrence is { } recurrence)
        {
            if (request.SendAt is not null) return Invalid(["sendAt: a recurring campaign sends at its cron's occurrences; give one or the other"]);
            if (CampaignRecurrence.Check(recurrence.Cron, options.Value.MinRecurrenceInterval, time.GetUtcNow().UtcDateTime) is { } bad)
                return Problems.BadRequest(bad.Code, "The recurrence cannot be used.", bad.Detail);
        }
        if (await CouponProblemAsync(request.CouponTemplateId, request.Content, db, ct) is { } couponProblem) return couponProblem;
        if (await segments.FindAsync(request.SegmentId, ct) is null)
            return Problems.Unprocessable("CAMPAIGN_SEGMENT_NOT_FOUND", $"There is no segment {request.SegmentId}.");
        var id = await campaigns.CreateAsync(request.Name, request.SegmentId, channels, request.Content, request.SendAt?.UtcDateTime,
            Minutes(request.QuietStart), Minutes(request.QuietEnd), request.AttributionDays ?? options.Value.AttributionDays, ct,
            request.Recurrence?.Cron.Trim(), request.CouponTemplateId);
        return TypedResults.Created($"/admin/campaigns/{id}", CampaignDto.From((await campaigns.FindAsync(id, ct))!));
    }

    // {coupon} needs a coupon to name; a coupon must exist (Offers' own reader) and still be given out.
    static async Task<ProblemHttpResult?> CouponProblemAsync(long? templateId, CampaignContent content, MySqlDataSource db, CancellationToken ct)
    {
        if (templateId is not { } id)
            return content.UsesCoupon ? Invalid(["content: {coupon} needs couponTemplateId, the coupon granted to each recipient"]) : null;
        await using var c = await db.OpenConnectionAsync(ct);
        return await CouponTemplateStore.FindAsync(c, null, id, ct) switch
        {
            null => Problems.Unprocessable("CAMPAIGN_COUPON_NOT_FOUND", $"There is no coupon template {id}."),
            { Active: false } => Problems.Unprocessable("CAMPAIGN_COUPON_NOT_ISSUABLE", $"Coupon template {id} is no longer given out."),
            _ => null,
        };
    }

    static ProblemHttpResult Invalid(IReadOnlyList<string> errors) => Problems.Of(StatusCodes.Status400BadRequest, "CAMPAIGN_INVALID",
        "The campaign cannot be sent as it is.", string.Join("; ", errors), new Dictionary<string, object?> { ["errors"] = errors });

    static short? Minutes(string? hhmm) => hhmm is null ? null
        : (short)(int.Parse(hhmm[..2], CultureInfo.InvariantCulture) * 60 + int.Parse(hhmm[3..], CultureInfo.InvariantCulture));
}
