namespace WeChatMall.Api.Infrastructure.Auth;

/// <summary>
/// The part of the merchant's business an /admin endpoint belongs to. Operators' roles grant reading or changing
/// whole areas (GET and HEAD read; every other method changes), so each admin route group names its area once.
/// </summary>
public sealed record AdminArea(string Name)
{
    public static readonly AdminArea AutoReplies = new("auto-replies");
    public static readonly AdminArea Catalog = new("catalog");
    public static readonly AdminArea Members = new("members");
    public static readonly AdminArea ProductCodes = new("product-codes");
    public static readonly AdminArea Loyalty = new("loyalty");
    public static readonly AdminArea Orders = new("orders");
    public static readonly AdminArea Refunds = new("refunds");
    public static readonly AdminArea Audience = new("audience");      // member stats, tags, segments, RFM
    public static readonly AdminArea Channels = new("channels");      // channel QR codes, menu, follower sync
    public static readonly AdminArea Marketplace = new("marketplace"); // imported marketplace orders
    public static readonly AdminArea Metrics = new("metrics");        // the merchant's numbers
    public static readonly AdminArea Offers = new("offers");          // coupons, sign-in, points mall, draws
    public static readonly AdminArea Campaigns = new("campaigns");
    public static readonly AdminArea CampaignApproval = new("campaign-approval"); // approving a large campaign: owners only
    public static readonly AdminArea Operators = new("operators");    // operators, API tokens, audit log
    public static readonly AdminArea Session = new("session");        // one's own session, password and second factor

    /// <summary>Every area, in the order docs/operators.md lists them.</summary>
    public static readonly IReadOnlyList<AdminArea> All =
    [
        AutoReplies, Catalog, Members, ProductCodes, Loyalty, Orders, Refunds, Audience, Channels, Marketplace, Metrics,
        Offers, Campaigns, CampaignApproval, Operators, Session,
    ];
}

public static class AdminAreaEndpoints
{
    /// <summary>
    /// Admin access to <paramref name="area"/>: every route of the group needs an operator, API token or bootstrap key
    /// whose role may read (GET/HEAD) or change (other methods) the area (<see cref="AdminPermissions"/>).
    /// </summary>
    public static RouteGroupBuilder RequireAdmin(this RouteGroupBuilder group, AdminArea area) =>
        group.RequireAuthorization(AdminAuth.Policy).WithMetadata(area);

    public static RouteHandlerBuilder RequireAdmin(this RouteHandlerBuilder route, AdminArea area) =>
        route.RequireAuthorization(AdminAuth.Policy).WithMetadata(area);
}
