using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Infrastructure.RateLimiting;

/// <summary>At most <see cref="Limit"/> requests per subject in a fixed window of <see cref="WindowSeconds"/>.</summary>
public sealed class RateLimitRule
{
    [Range(1, 1_000_000)] public int Limit { get; set; }
    [Range(1, 86_400)] public int WindowSeconds { get; set; } = 60;

    public TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);
}

/// <summary>
/// Request rate limits counted in Redis, so they hold across instances. Member routes count per member; anonymous
/// routes per client IP (as seen after the forwarded headers of <c>Http:KnownProxies</c>/<c>Http:KnownNetworks</c>).
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Off: no request limits at all (the product-code failure limits and order caps still apply).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long a limit check may wait for Redis. Past it (or with Redis down) the request goes through unlimited and a
    /// warning is logged: a broken limiter must not take the shop down with it.
    /// </summary>
    [Range(10, 5_000)] public int RedisTimeoutMs { get; set; } = 250;

    /// <summary>POST /api/orders per member.</summary>
    public RateLimitRule PlaceOrder { get; set; } = new() { Limit = 10, WindowSeconds = 60 };

    /// <summary>POST /api/orders/{orderNo}/pay per member (each may call WeChat Pay).</summary>
    public RateLimitRule Pay { get; set; } = new() { Limit = 20, WindowSeconds = 60 };

    /// <summary>POST /api/auth/login per client IP (loose: many shoppers may share one carrier NAT).</summary>
    public RateLimitRule Login { get; set; } = new() { Limit = 60, WindowSeconds = 60 };

    /// <summary>GET /api/oauth/authorize per client IP.</summary>
    public RateLimitRule OAuthAuthorize { get; set; } = new() { Limit = 30, WindowSeconds = 60 };

    /// <summary>GET /api/catalog/products with a search text (q) per client IP; browsing without q is not limited.</summary>
    public RateLimitRule CatalogSearch { get; set; } = new() { Limit = 120, WindowSeconds = 60 };

    public IEnumerable<RateLimitRule> Rules => [PlaceOrder, Pay, Login, OAuthAuthorize, CatalogSearch];
}
