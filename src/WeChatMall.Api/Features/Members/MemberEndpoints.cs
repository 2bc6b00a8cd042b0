using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Infrastructure.RateLimiting;

namespace WeChatMall.Api.Features.Members;

/// <summary>
/// The member's own routes. None takes a member id: everything is scoped by the session's member, so one member
/// cannot name another's data.
/// </summary>
public static class MemberEndpoints
{
    public static IEndpointRouteBuilder MapMembers(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Members");
        auth.MapPost("/login", LoginMember.Handle).WithName("MemberLogin").RateLimited(RateLimitPolicy.Login);
        auth.MapPost("/logout", LoginMember.Logout).WithName("MemberLogout").RequireAuthorization(MemberAuth.Policy);

        var me = app.MapGroup("/api/me").WithTags("Members").RequireAuthorization(MemberAuth.Policy);
        me.MapGet("/", GetMe).WithName(nameof(GetMe));
        me.MapGet("/points", GetMyPoints).WithName(nameof(GetMyPoints));
        me.MapPost("/phone", BindPhone.Handle).WithName("BindPhone");
        me.MapPost("/product-codes/claim", ClaimProductCode.Handle).WithName("ClaimProductCode");
        return app;
    }

    static async Task<Results<Ok<MeDto>, NotFound>> GetMe(CurrentMember me, MemberQueries members, IMemberLoyaltyView loyalty, CancellationToken ct)
        => await members.MeAsync(me.Id, ct) is { } dto
            ? TypedResults.Ok(dto with { Loyalty = await loyalty.ForMeAsync(me.Id, ct) })
            : TypedResults.NotFound();

    static async Task<Results<Ok<PageDto<LedgerEntryDto>>, ValidationProblem>> GetMyPoints(
        int? page, int? pageSize, CurrentMember me, MemberQueries members, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        // Bounded like the order list: page × pageSize is the SQL offset, and 2^31−1 pages overflowed it (a 500).
        if (page is < 1 or > 10_000) errors["page"] = ["page is 1 to 10000."];
        if (pageSize is < 1 or > 50) errors["pageSize"] = ["pageSize is 1 to 50."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await members.PointsAsync(me.Id, page ?? 1, pageSize ?? 20, ct));
    }
}
