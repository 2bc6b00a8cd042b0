using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Features.Audience.Segments;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Audience.Tags;

/// <summary>A tag: manual without a rule; a rule tag with a segment rule (which may not name tags).</summary>
public sealed record TagRequest([property: Required, StringLength(30, MinimumLength = 1)] string Name, JsonElement? Rule);
public sealed record MemberTagRequest(long TagId);

public static class TagEndpoints
{
    public static void MapTags(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/tags").WithTags("Audience admin").RequireAdmin(AdminArea.Audience);
        g.MapGet("/", List).WithName("AdminListTags");
        g.MapPost("/", Create).WithName("AdminCreateTag");
        g.MapGet("/{id:long}", Get).WithName("AdminGetTag");
        g.MapPut("/{id:long}", Update).WithName("AdminUpdateTag");
        g.MapDelete("/{id:long}", Delete).WithName("AdminDeleteTag");
        g.MapPost("/{id:long}/wechat-sync", Sync).WithName("AdminSyncTagToWeChat");

        var m = app.MapGroup("/admin/members/{memberId:long}/tags").WithTags("Audience admin").RequireAdmin(AdminArea.Audience);
        m.MapGet("/", MemberTags).WithName("AdminMemberTags");
        m.MapPost("/", AddMemberTag).WithName("AdminAddMemberTag");
        m.MapDelete("/{tagId:long}", RemoveMemberTag).WithName("AdminRemoveMemberTag");
    }

    static async Task<Ok<IReadOnlyList<TagDto>>> List(TagStore tags, CancellationToken ct) => TypedResults.Ok(await tags.ListAsync(ct));

    static async Task<Results<Ok<TagDto>, ProblemHttpResult>> Get(long id, TagStore tags, CancellationToken ct) =>
        await tags.FindAsync(id, ct) is { } t ? TypedResults.Ok(t) : NoSuchTag();

    static async Task<Results<Created<TagDto>, ProblemHttpResult>> Create(TagRequest request, TagStore tags, TagRules rules, CancellationToken ct)
    {
        var rule = RuleOf(request);
        if (rule is { } r && rules.Compile(r).Error is { } error) return SegmentEndpoints.Refused(error);
        if (await tags.CreateAsync(request.Name.Trim(), rule, ct) is not { } id) return NameTaken();
        if (rule is not null) await rules.RefreshAllAsync(id, ct);
        return TypedResults.Created($"/admin/tags/{id}", (await tags.FindAsync(id, ct))!);
    }

    static async Task<Results<Ok<TagDto>, ProblemHttpResult>> Update(long id, TagRequest request, TagStore tags, TagRules rules, CancellationToken ct)
    {
        if (await tags.FindAsync(id, ct) is not { } existing) return NoSuchTag();
        var rule = RuleOf(request);
        if ((rule is null) != (existing.Kind == TagKind.Manual))
            return Problems.Conflict("TAG_KIND_FIXED", "A manual tag cannot get a rule, and a rule tag cannot lose it; create another tag.");
        if (rule is { } r && rules.Compile(r).Error is { } error) return SegmentEndpoints.Refused(error);
        if (await tags.UpdateAsync(id, request.Name.Trim(), rule, ct) is null) return NameTaken();
        if (rule is not null) await rules.RefreshAllAsync(id, ct);
        return TypedResults.Ok((await tags.FindAsync(id, ct))!);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, TagStore tags, CancellationToken ct) =>
        await tags.DeleteAsync(id, ct) ? TypedResults.NoContent() : NoSuchTag();

    /// <summary>Mirrors the tag onto a WeChat user tag (creates it once); 409 WECHAT_TAG_LIMIT when the account has 100 tags.</summary>
    static async Task<Results<Ok<TagSyncResult>, ProblemHttpResult>> Sync(long id, WeChatTagSync sync, CancellationToken ct) =>
        await sync.SyncAsync(id, ct) switch
        {
            TagSynced s => TypedResults.Ok(s.Result),
            TagSyncRefused r => Problems.Of(r.Status, r.Code, r.Title),
            _ => throw new InvalidOperationException("unexpected sync outcome"),
        };

    static async Task<Ok<IReadOnlyList<TagDto>>> MemberTags(long memberId, TagStore tags, CancellationToken ct) =>
        TypedResults.Ok(await tags.OfMemberAsync(memberId, ct));

    static async Task<Results<NoContent, ProblemHttpResult>> AddMemberTag(long memberId, MemberTagRequest request, TagStore tags,
        MySqlConnector.MySqlDataSource db, CancellationToken ct)
    {
        if (await tags.FindAsync(request.TagId, ct) is not { } tag) return Problems.NotFound("TAG_NOT_FOUND", "No such tag.");
        if (tag.Kind != TagKind.Manual) return Problems.Conflict("TAG_IS_RULE", "A rule tag follows its rule; only manual tags are put on members by hand.");
        await using (var c = await db.OpenConnectionAsync(ct))
            if (await MemberStats.FindAsync(c, memberId, ct) is null) return Problems.NotFound("MEMBER_NOT_FOUND", "No such member (or it was merged).");
        await tags.AddManualAsync(memberId, request.TagId, ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<NoContent, ProblemHttpResult>> RemoveMemberTag(long memberId, long tagId, TagStore tags, CancellationToken ct) =>
        await tags.RemoveAsync(memberId, tagId, ct) ? TypedResults.NoContent() : NoSuchTag();

    static JsonElement? RuleOf(TagRequest r) => r.Rule is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } rule ? rule : null;

    static ProblemHttpResult NameTaken() => Problems.Conflict("TAG_NAME_TAKEN", "Another tag has this name.");

    static ProblemHttpResult NoSuchTag() => Problems.NotFound("TAG_NOT_FOUND", "No such tag");
}
