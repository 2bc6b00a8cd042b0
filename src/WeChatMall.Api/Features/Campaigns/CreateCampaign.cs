using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Features.Audience.Segments;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>POST /admin/campaigns: a draft, its content checked against WeChat's field rules and the template registry.</summary>
public static class CreateCampaign
{
    public static async Task<Results<Created<CampaignDto>, ProblemHttpResult>> Handle(CreateCampaignRequest request, CampaignStore campaigns,
        SegmentStore segments, TemplateRegistry registry, IOptions<CampaignOptions> options, CancellationToken ct)
    {
        var channels = request.Channels.Distinct().ToList();
        if (channels.FirstOrDefault(ch => !CampaignChannels.All.Contains(ch)) is { } unknown)
            return Invalid([$"channels: unknown channel '{unknown}' (use {string.Join(", ", CampaignChannels.All)})"]);
        if ((request.QuietStart is null) != (request.QuietEnd is null)) return Invalid(["quietStart/quietEnd: give both or neither"]);
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
