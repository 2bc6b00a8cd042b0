using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.Api.Infrastructure.RateLimiting;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Features.Audience.Marketplace;

public sealed class ClaimMarketplaceOrderRequest
{
    /// <summary>The order number as the marketplace shows it (订单编号 / 订单号).</summary>
    [Required, StringLength(64, MinimumLength = 1)] public string OrderNo { get; init; } = "";

    /// <summary>The last four digits of the phone number the order was delivered to.</summary>
    [Required, RegularExpression("^[0-9]{4}$")] public string PhoneLast4 { get; init; } = "";

    /// <summary>tmall | jd | other; needed only when the same order number exists on two platforms.</summary>
    public string? Platform { get; init; }
}

/// <summary>
/// POST /api/me/marketplace-orders/claim: an imported order that waits unclaimed joins the caller's history. Like
/// product codes, failed attempts (unknown order, wrong last four, someone else's order) are counted per member and per
/// client IP in Redis (RedisWindow); over the limit every attempt is a 429 before any lookup, so the last four digits
/// (10,000 possibilities) cannot be guessed. A claim of one's own order is not a failure.
/// </summary>
public static class ClaimMarketplaceOrder
{
    public static async Task<Results<Ok<MarketplaceClaimedDto>, ProblemHttpResult>> Handle(
        ClaimMarketplaceOrderRequest request, CurrentMember me, HttpContext http, MarketplaceOrderStore store, IDatabase redis,
        IOptions<MarketplaceOptions> options, TimeProvider time, ILogger<MarketplaceOrderStore> logger, CancellationToken ct)
    {
        var o = options.Value;
        var window = TimeSpan.FromMinutes(o.ClaimWindowMinutes);
        var ip = http.Connection.RemoteIpAddress?.ToString();
        List<(RedisKey Key, int Limit)> counters = [(RedisKeys.MarketplaceClaimFailuresMember(me.Id), o.ClaimFailuresPerWindow)];
        if (ip is not null) counters.Add((RedisKeys.MarketplaceClaimFailuresIp(ip), o.ClaimIpFailuresPerWindow));

        foreach (var (key, limit) in counters)
            if (await RedisWindow.PeekAsync(redis, key, ct) is var count && count.Count >= limit)
            {
                var seconds = count.RetryAfterSeconds(window);
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                Log.ClaimThrottled(logger, me.Id);
                return Problems.TooManyRequests("MARKETPLACE_CLAIM_RATE_LIMITED", "Too many failed claims",
                    $"Check the order number and the phone number, and try again in {Math.Ceiling(seconds / 60.0)} minute(s).");
            }

        var platform = request.Platform?.Trim().ToLowerInvariant() is { Length: > 0 } p ? p : null;
        var outcome = await store.ClaimAsync(me.Id, request.OrderNo.Trim(), request.PhoneLast4, platform, time.GetUtcNow().UtcDateTime, ct);
        if (outcome is MarketplaceOrderStore.NotFound or MarketplaceOrderStore.ClaimedByOther)
            foreach (var (key, _) in counters) await RedisWindow.HitAsync(redis, key, window, ct);
        switch (outcome)
        {
            case MarketplaceOrderStore.ClaimSucceeded ok:
                Log.Claimed(logger, me.Id, ok.Order.Platform);
                return TypedResults.Ok(ok.Order);
            case MarketplaceOrderStore.AlreadyYours:
                return Problems.Conflict("MARKETPLACE_ORDER_ALREADY_YOURS", "This order is already in your history");
            case MarketplaceOrderStore.ClaimedByOther:
                return Problems.Conflict("MARKETPLACE_ORDER_CLAIMED", "This order belongs to another customer",
                    "If you placed it, bind the phone number it was delivered to, or contact customer service.");
            case MarketplaceOrderStore.Ambiguous:
                return Problems.Conflict("MARKETPLACE_ORDER_AMBIGUOUS", "This order number exists on more than one marketplace",
                    "Say which one: platform tmall, jd or other.");
            default:
                return Problems.NotFound("MARKETPLACE_ORDER_NOT_FOUND", "No imported order matches",
                    "Check the order number and the last four digits of the phone it was delivered to; the shop may not have imported it yet.");
        }
    }
}
