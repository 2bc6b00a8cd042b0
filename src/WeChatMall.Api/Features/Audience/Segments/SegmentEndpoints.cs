using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Audience.Segments;

public sealed record SegmentRequest([property: Required, StringLength(100, MinimumLength = 1)] string Name, JsonElement Rule);
public sealed record RuleRequest(JsonElement Rule);
public sealed record PreviewRequest(JsonElement Rule, long? AfterId, int? Limit);
public sealed record SegmentCountDto(long Count);
/// <summary>A page of members; pass NextAfterId as afterId for the next page (null: this was the last page).</summary>
public sealed record SegmentPageDto(IReadOnlyList<SegmentMemberDto> Members, long? NextAfterId);
public sealed record SegmentFieldDto(string Name, string Kind, IReadOnlyList<string> Operators, string? Extra);

/// <summary>Saved segments, live counts, keyset-paged previews and CSV export (docs/audience.md).</summary>
public static class SegmentEndpoints
{
    public static RouteGroupBuilder MapSegments(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/segments").WithTags("Audience admin").RequireAdmin(AdminArea.Audience);
        g.MapGet("/", List).WithName("AdminListSegments");
        g.MapGet("/fields", Fields).WithName("AdminSegmentFields");
        g.MapPost("/", Create).WithName("AdminCreateSegment");
        g.MapPost("/count", CountRule).WithName("AdminCountSegmentRule");
        g.MapPost("/preview", PreviewRule).WithName("AdminPreviewSegmentRule");
        g.MapGet("/{id:long}", Get).WithName("AdminGetSegment");
        g.MapPut("/{id:long}", Update).WithName("AdminUpdateSegment");
        g.MapDelete("/{id:long}", Delete).WithName("AdminDeleteSegment");
        g.MapGet("/{id:long}/count", Count).WithName("AdminCountSegment");
        g.MapGet("/{id:long}/members", Members).WithName("AdminSegmentMembers");
        g.MapGet("/{id:long}/export", Export).WithName("AdminExportSegment");
        return g;
    }

    static async Task<Ok<IReadOnlyList<SegmentDto>>> List(SegmentStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct));

    static Ok<IReadOnlyList<SegmentFieldDto>> Fields() => TypedResults.Ok<IReadOnlyList<SegmentFieldDto>>(
        [.. SegmentFields.All.Values.Select(f => new SegmentFieldDto(f.Name, f.Kind.ToString(), SegmentFields.Operators(f.Kind), f.Extra))]);

    static async Task<Results<Created<SegmentDto>, ProblemHttpResult>> Create(SegmentRequest request, SegmentStore store, SegmentMembers members, CancellationToken ct)
    {
        if (members.Compile(request.Rule).Error is { } error) return Refused(error);
        var saved = await store.CreateAsync(request.Name.Trim(), request.Rule, ct);
        return TypedResults.Created($"/admin/segments/{saved.Id}", saved);
    }

    static async Task<Results<Ok<SegmentDto>, ProblemHttpResult>> Get(long id, SegmentStore store, CancellationToken ct) =>
        await store.FindAsync(id, ct) is { } s ? TypedResults.Ok(s) : NoSuchSegment();

    static async Task<Results<Ok<SegmentDto>, ProblemHttpResult>> Update(long id, SegmentRequest request, SegmentStore store,
        SegmentMembers members, CancellationToken ct)
    {
        if (members.Compile(request.Rule).Error is { } error) return Refused(error);
        return await store.UpdateAsync(id, request.Name.Trim(), request.Rule, ct) is { } s ? TypedResults.Ok(s) : NoSuchSegment();
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, SegmentStore store, CancellationToken ct) =>
        await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : NoSuchSegment();

    static async Task<Results<Ok<SegmentCountDto>, ProblemHttpResult>> CountRule(RuleRequest request, SegmentMembers members, CancellationToken ct)
    {
        var (rule, error) = members.Compile(request.Rule);
        return error is not null ? Refused(error) : TypedResults.Ok(new SegmentCountDto(await members.CountAsync(rule!, ct)));
    }

    static async Task<Results<Ok<SegmentPageDto>, ProblemHttpResult>> PreviewRule(PreviewRequest request, SegmentMembers members,
        IOptions<AudienceOptions> options, CancellationToken ct)
    {
        var (rule, error) = members.Compile(request.Rule);
        if (error is not null) return Refused(error);
        return TypedResults.Ok(await PageAsync(members, rule!, request.AfterId, request.Limit, options.Value, ct));
    }

    static async Task<Results<Ok<SegmentCountDto>, ProblemHttpResult>> Count(long id, SegmentMembers members, CancellationToken ct) =>
        await members.CountAsync(id, ct) is { } n ? TypedResults.Ok(new SegmentCountDto(n)) : NoSuchSegment();

    static async Task<Results<Ok<SegmentPageDto>, ProblemHttpResult>> Members(long id, long? afterId, int? limit, SegmentMembers members,
        IOptions<AudienceOptions> options, CancellationToken ct) =>
        await members.SavedAsync(id, ct) is { } rule
            ? TypedResults.Ok(await PageAsync(members, rule, afterId, limit, options.Value, ct))
            : NoSuchSegment();

    static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> Export(long id, SegmentMembers members, TimeProvider time, HttpContext http)
    {
        var ct = http.RequestAborted;
        if (await members.SavedAsync(id, ct) is not { } rule) return NoSuchSegment();
        return TypedResults.Stream(body => SegmentExport.WriteAsync(members, rule, body, ct), SegmentExport.ContentType,
            $"segment-{id}-{time.GetUtcNow():yyyyMMddHHmmss}.csv");
    }

    static async Task<SegmentPageDto> PageAsync(SegmentMembers members, CompiledRule rule, long? afterId, int? limit, AudienceOptions o, CancellationToken ct)
    {
        var size = Math.Clamp(limit ?? 50, 1, o.MaxPreviewPageSize);
        var page = await members.PageAsync(rule, Math.Max(0, afterId ?? 0), size, ct);
        return new SegmentPageDto(page, page.Count == size ? page[^1].MemberId : null);
    }

    /// <summary>400 naming what is wrong: SEGMENT_UNKNOWN_FIELD, SEGMENT_UNKNOWN_OPERATOR, SEGMENT_INVALID_VALUE, SEGMENT_RULE_INVALID, SEGMENT_RULE_TOO_LARGE.</summary>
    public static ProblemHttpResult Refused(RuleError e) => Problems.Of(StatusCodes.Status400BadRequest, e.Code, e.Title, null,
        new Dictionary<string, object?> { ["path"] = e.Path, ["field"] = e.Field, ["operator"] = e.Operator });

    static ProblemHttpResult NoSuchSegment() => Problems.NotFound("SEGMENT_NOT_FOUND", "No such segment");
}
