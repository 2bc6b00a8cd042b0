using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Features.Audience.Segments;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Offers;

/// <summary>Granting a coupon to a segment: started here, worked by <see cref="CouponSegmentGrantJob"/>, followed by its report.</summary>
public static class CouponSegmentGrantEndpoints
{
    public static RouteGroupBuilder MapCouponSegmentGrants(this RouteGroupBuilder g)
    {
        g.MapPost("/coupon-templates/{id:long}/segment-grants", Start).WithName("AdminStartCouponSegmentGrant");
        g.MapGet("/coupon-templates/{id:long}/segment-grants", List).WithName("AdminListCouponSegmentGrants");
        g.MapGet("/segment-grants/{runId:long}", Get).WithName("AdminGetCouponSegmentGrant");
        return g;
    }

    static async Task<Results<Accepted<SegmentGrantDto>, ValidationProblem, ProblemHttpResult>> Start(long id, SegmentGrantRequest request,
        CouponTemplateStore templates, SegmentStore segments, CouponSegmentGrants grants, HttpContext http, CancellationToken ct)
    {
        if (request.SegmentId <= 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["segmentId"] = ["A saved segment's id."] });
        if (await templates.GetAsync(id, ct) is not { } template) return Problems.NotFound("COUPON_TEMPLATE_NOT_FOUND", "No such coupon template");
        if (!template.Active) return Problems.Conflict("COUPON_NOT_ISSUABLE", "This coupon is not active: it cannot be granted");
        if (await segments.FindAsync(request.SegmentId, ct) is null) return Problems.NotFound("SEGMENT_NOT_FOUND", "No such segment");
        var run = await grants.StartAsync(id, request.SegmentId, http.User.Identity?.Name ?? "admin", ct);
        return TypedResults.Accepted($"/admin/offers/segment-grants/{run.Id}", run);
    }

    static async Task<Results<Ok<IReadOnlyList<SegmentGrantDto>>, ProblemHttpResult>> List(long id, CouponTemplateStore templates,
        CouponSegmentGrants grants, CancellationToken ct) =>
        await templates.GetAsync(id, ct) is null
            ? Problems.NotFound("COUPON_TEMPLATE_NOT_FOUND", "No such coupon template")
            : TypedResults.Ok(await grants.ListAsync(id, ct));

    static async Task<Results<Ok<SegmentGrantDto>, ProblemHttpResult>> Get(long runId, CouponSegmentGrants grants, CancellationToken ct) =>
        await grants.FindAsync(runId, ct) is { } run ? TypedResults.Ok(run) : Problems.NotFound("SEGMENT_GRANT_NOT_FOUND", "No such segment grant");
}
