using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Members;

/// <summary>The merchant's view of members: search, detail, prospects, merges, and points adjustments with a reason.</summary>
public static class MemberAdminEndpoints
{
    public static IEndpointRouteBuilder MapMemberAdmin(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/members").WithTags("Members admin").RequireAdmin(AdminArea.Members);
        g.MapGet("/", Search).WithName("AdminSearchMembers");
        g.MapPost("/", CreateProspect.Handle).WithName("AdminCreateProspect");
        g.MapGet("/{id:long}", Get).WithName("AdminGetMember");
        g.MapPost("/{id:long}/points", AdjustPoints).WithName("AdminAdjustPoints");
        g.MapPost("/{id:long}/merge", Merge).WithName("AdminMergeMembers");
        return app;
    }

    static async Task<Results<Ok<IReadOnlyList<MemberSummaryDto>>, ValidationProblem>> Search(string? q, MemberQueries members, CancellationToken ct)
        => string.IsNullOrWhiteSpace(q) || q.Length > 128
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = ["Give a member id, invite code, openid, UnionID or phone number."] })
            : TypedResults.Ok(await members.SearchAsync(q.Trim(), ct));

    static async Task<Results<Ok<MemberDetailDto>, NotFound>> Get(long id, MemberQueries members, IMemberLoyaltyView loyalty, CancellationToken ct)
        => await members.DetailAsync(id, ct) is { } dto
            ? TypedResults.Ok(dto with { Referral = await loyalty.ReferralAsync(id, ct) })
            : TypedResults.NotFound();

    static async Task<Results<Ok<PointsAdjustedDto>, NotFound, ValidationProblem, ProblemHttpResult>> AdjustPoints(
        long id, PointsAdjustmentRequest request, MemberStore store, TimeProvider time, ILogger<MemberStore> logger, CancellationToken ct)
    {
        if (request.Delta == 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["Delta"] = ["The delta cannot be zero."] });
        if (string.IsNullOrWhiteSpace(request.Reason))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["Reason"] = ["A reason is required."] });
        // Admin keys live in their own namespace so they can never collide with an order's or a code's.
        var key = "admin:" + (request.IdempotencyKey ?? Guid.NewGuid().ToString("N"));
        var result = await store.PostPointsAsync(id, request.Delta, request.Reason.Trim(), "admin", key, time.GetUtcNow().UtcDateTime, ct);
        switch (result)
        {
            case PointsPosted posted:
                if (!posted.Duplicate) Log.PointsAdjusted(logger, id, request.Delta, posted.Entry.BalanceAfter);
                return TypedResults.Ok(new PointsAdjustedDto(id, posted.Entry, posted.Duplicate));
            case InsufficientPoints low:
                return Problems.Conflict("INSUFFICIENT_POINTS", $"The member has {low.Balance} points; the balance cannot go below zero");
            case IdempotencyKeyReused:
                return Problems.Conflict("IDEMPOTENCY_KEY_REUSED", "This idempotency key was already used for a different adjustment");
            default:
                return TypedResults.NotFound();
        }
    }

    static async Task<Results<Ok<MemberMergeDto>, NotFound<ProblemDetails>, ValidationProblem, ProblemHttpResult>> Merge(
        long id, MemberMergeRequest request, ClaimsPrincipal user, MemberMerger merger, CancellationToken ct)
    {
        if (request.MergedMemberId <= 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["MergedMemberId"] = ["Give the id of the member to merge into this one."] });
        if (string.IsNullOrWhiteSpace(request.Reason))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["Reason"] = ["A reason is required."] });
        // Recorded as member_merges.merged_by: the signed-in operator (the one admin key is "admin").
        var mergedBy = user.Identity?.Name is { Length: > 0 } name ? name : "admin";
        return await merger.MergeAsync(id, request.MergedMemberId, request.Reason.Trim(), mergedBy, ct) switch
        {
            Merged m => TypedResults.Ok(m.Merge),
            MergeMemberNotFound nf => TypedResults.NotFound(new ProblemDetails { Status = 404, Title = $"Member {nf.MemberId} does not exist" }),
            MergeSameMember => Problems.Conflict("MERGE_SAME_MEMBER", "A member cannot be merged into itself"),
            MergeAlreadyMerged am => Problems.Conflict("MEMBER_ALREADY_MERGED", $"Member {am.MemberId} was already merged into member {am.MergedInto}"),
            _ => throw new InvalidOperationException("unknown merge result"),
        };
    }
}
