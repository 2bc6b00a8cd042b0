using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Auth;

namespace WeChatMall.Api.Features.Campaigns.Credits;

/// <summary>
/// GET /admin/members/{memberId}/subscribe-credits: what the member may still be sent, per subscribe template. Member
/// data, so the Members area (every role reads it); nothing here changes a balance.
/// </summary>
public static class SubscribeCreditEndpoints
{
    public static void MapSubscribeCredits(this IEndpointRouteBuilder app) =>
        app.MapGroup("/admin/members/{memberId:long}/subscribe-credits").WithTags("Members admin").RequireAdmin(AdminArea.Members)
            .MapGet("/", List).WithName("AdminMemberSubscribeCredits");

    static async Task<Ok<IReadOnlyList<MemberSubscribeCreditDto>>> List(long memberId, MySqlDataSource db, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return TypedResults.Ok(await SubscribeCredits.OfMemberAsync(c, memberId, ct));
    }
}
