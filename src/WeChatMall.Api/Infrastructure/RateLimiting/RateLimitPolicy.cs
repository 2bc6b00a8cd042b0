namespace WeChatMall.Api.Infrastructure.RateLimiting;

public enum RateLimitSubject
{
    /// <summary>The signed-in member (falls back to the client IP when there is none).</summary>
    Member,
    /// <summary>The client IP; an IPv6 client counts by its /64, which one subscriber usually holds whole.</summary>
    ClientIp,
}

/// <summary>One named limit: whom it counts, its rule, and which requests of the endpoint it applies to.</summary>
public sealed record RateLimitPolicy(string Name, RateLimitSubject Subject, Func<RateLimitOptions, RateLimitRule> Rule,
    Func<HttpContext, bool>? AppliesTo = null)
{
    public static readonly RateLimitPolicy PlaceOrder = new("place-order", RateLimitSubject.Member, o => o.PlaceOrder);
    public static readonly RateLimitPolicy Pay = new("pay", RateLimitSubject.Member, o => o.Pay);
    public static readonly RateLimitPolicy Login = new("login", RateLimitSubject.ClientIp, o => o.Login);
    public static readonly RateLimitPolicy OAuthAuthorize = new("oauth-authorize", RateLimitSubject.ClientIp, o => o.OAuthAuthorize);
    public static readonly RateLimitPolicy CatalogSearch = new("catalog-search", RateLimitSubject.ClientIp, o => o.CatalogSearch,
        http => !string.IsNullOrWhiteSpace(http.Request.Query["q"]));
}
