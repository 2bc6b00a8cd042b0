using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Audience.Segments;
using WeChatMall.Api.Features.Campaigns.Mass;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>POST /admin/campaigns: a draft, its content checked against WeChat's field rules and the template registry.</summary>
public static class CreateCampaign
{
    public static async Task<Results<Created<CampaignDto>, ProblemHttpResult>> Handle(CreateCampaignRequest request, CampaignStore campaigns,
        SegmentStore segments, TemplateRegistry registry, MySqlDataSource db, IOptions<CampaignOptions> options, CancellationToken ct)
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
        if (await segments.FindAsync(request.SegmentId, ct) is null)
            return Problems.Unprocessable("CAMPAIGN_SEGMENT_NOT_FOUND", $"There is no segment {request.SegmentId}.");
        var id = await campaigns.CreateAsync(request.Name, request.SegmentId, channels, request.Content, request.SendAt?.UtcDateTime,
            Minutes(request.QuietStart), Minutes(request.QuietEnd), request.AttributionDays ?? options.Value.AttributionDays, ct);
        return TypedResults.Created($"/admin/campaigns/{id}", CampaignDto.From((await campaigns.FindAsync(id, ct))!));
    }

    static ProblemHttpResult Invalid(IReadOnlyList<string> errors) => Problems.Of(StatusCodes.Status400BadRequest, "CAMPAIGN_INVALID",
        "The campaign cannot be sent as it is.", string.Join("; ", errors), new Dictionary<string, object?> { ["errors"] = errors });

    static short? Minutes(string? hhmm) => hhmm is null ? null
        : (short)(int.Parse(hhmm[..2], CultureInfo.InvariantCulture) * 60 + int.Parse(hhmm[3..], CultureInfo.InvariantCulture));
}
