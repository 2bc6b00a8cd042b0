using System.Text.Json;

namespace WeChatMall.Sandbox.OfficialAccount;

/// <summary>
/// The follower list (docs/wechat-protocol.md#users): <c>cgi-bin/user/get</c> pages the subscribed followers in openid
/// order after <c>next_openid</c>; a page's <c>next_openid</c> is its last openid and the list ends with a page of
/// <c>count</c> 0. For tests: <c>POST /sandbox/followers/bulk</c> adds followers who followed before the app was
/// connected (no callback), and <c>PUT /sandbox/followers/paging</c> makes pages smaller than WeChat's 10,000.
/// </summary>
public static class FollowerListEndpoints
{
    public sealed record BulkRequest(string? Prefix, int Count);
    public sealed record PagingRequest(int PageSize);

    public static void MapFollowerList(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cgi-bin/user/get", ListFollowers);
        app.MapPost("/sandbox/followers/bulk", AddFollowers);
        app.MapPut("/sandbox/followers/paging", (PagingRequest r, FollowerPaging paging) =>
        {
            if (r.PageSize is < 1 or > FollowerPaging.WeChatPageSize) return Results.BadRequest(new { error = "pageSize is 1..10000" });
            paging.PageSize = r.PageSize;
            return Results.Ok(new { pageSize = paging.PageSize });
        });
    }

    static IResult ListFollowers(HttpContext http, string? next_openid, TokenGuard guard, FollowerRegistry followers, FollowerPaging paging)
    {
        if (guard.Reject(http, out _) is { } rejected) return rejected;
        var subscribed = followers.All().Where(f => f.Subscribed).Select(f => f.OpenId).ToList();
        var after = string.IsNullOrEmpty(next_openid) ? subscribed
            : subscribed.Where(o => string.CompareOrdinal(o, next_openid) > 0).ToList();
        var page = after.Take(paging.PageSize).ToList();
        return WeChatReply.Ok(new
        {
            total = subscribed.Count, count = page.Count,
            data = page.Count == 0 ? null : new { openid = page },
            next_openid = page.Count == 0 ? "" : page[^1],
        });
    }

    static IResult AddFollowers(BulkRequest r, FollowerRegistry followers, TimeProvider time)
    {
        if (r.Count is < 1 or > 100_000 || string.IsNullOrEmpty(r.Prefix)) return Results.BadRequest(new { error = "prefix and count 1..100000" });
        var since = time.GetUtcNow().AddDays(-100).ToUnixTimeSeconds();
        var openIds = Enumerable.Range(0, r.Count).Select(i => $"{r.Prefix}{i:D6}").ToList();
        foreach (var openId in openIds)
            followers.Update(openId, f => f with { Subscribed = true, SubscribeTime = since, SubscribeScene = "ADD_SCENE_SEARCH" });
        return Results.Ok(new { openIds });
    }
}

/// <summary>How many openids a <c>cgi-bin/user/get</c> page holds (WeChat: 10,000).</summary>
public sealed class FollowerPaging
{
    public const int WeChatPageSize = 10_000;
    public int PageSize { get; set; } = WeChatPageSize;
}
