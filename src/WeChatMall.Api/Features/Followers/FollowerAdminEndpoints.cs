using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Infrastructure.Auth;

namespace WeChatMall.Api.Features.Followers;

/// <summary>GET /admin/followers: the Official Account's followers, for the console (area channels, next to the follower sync).</summary>
public static class FollowerAdminEndpoints
{
    public const int MaxPageSize = 100;
    public static readonly string[] States = ["subscribed", "unsubscribed"];

    public static void MapFollowers(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/followers").WithTags("Admin: followers").RequireAdmin(AdminArea.Channels);
        g.MapGet("/", List).WithName("AdminListFollowers")
            .WithSummary("Followers newest first; filters: state (subscribed|unsubscribed), channel (QR scene of the first follow), q (nickname contains, or the exact openid).");
    }

    static async Task<Results<Ok<FollowerPageDto>, ValidationProblem>> List(string? state, string? channel, string? q, int? page, int? pageSize,
        FollowerStore followers, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (state is not null && !States.Contains(state)) errors["state"] = [$"Use one of: {string.Join(", ", States)}."];
        if (channel is { Length: > 64 }) errors["channel"] = ["A QR scene has at most 64 characters."];
        if (q is { Length: > 64 }) errors["q"] = ["Search with at most 64 characters."];
        if (page is < 1) errors["page"] = ["Pages start at 1."];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"Between 1 and {MaxPageSize}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var filter = new FollowerFilter(state, string.IsNullOrWhiteSpace(channel) ? null : channel.Trim(), string.IsNullOrWhiteSpace(q) ? null : q.Trim());
        return TypedResults.Ok(await followers.PageAsync(filter, page ?? 1, pageSize ?? 20, ct));
    }
}
