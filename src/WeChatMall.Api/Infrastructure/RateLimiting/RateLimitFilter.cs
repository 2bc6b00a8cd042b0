using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Infrastructure.RateLimiting;

public static class RateLimitEndpoints
{
    /// <summary>
    /// Counts each request of the endpoint against <paramref name="policy"/> in Redis and answers 429 RATE_LIMITED with
    /// Retry-After past the limit. Not the ASP.NET rate limiter: its limiters live in one process, these must hold across
    /// instances, and they share the counter (and its key prefix) with the product-code failure limit.
    /// </summary>
    public static RouteHandlerBuilder RateLimited(this RouteHandlerBuilder builder, RateLimitPolicy policy) =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var services = factory.ApplicationServices;
            var options = services.GetRequiredService<IOptionsMonitor<RateLimitOptions>>();
            var redis = services.GetRequiredService<IDatabase>();
            var logger = services.GetRequiredService<ILogger<RateLimitPolicy>>();
            return async context =>
            {
                var http = context.HttpContext;
                var o = options.CurrentValue;
                if (!o.Enabled || policy.AppliesTo?.Invoke(http) == false || SubjectOf(http, policy.Subject) is not { } subject)
                    return await next(context);
                var rule = policy.Rule(o);
                WindowCount count;
                try
                {
                    count = await RedisWindow.HitAsync(redis, RedisKeys.RateLimit(policy.Name, subject), rule.Window, http.RequestAborted)
                        .WaitAsync(TimeSpan.FromMilliseconds(o.RedisTimeoutMs), http.RequestAborted);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    // Fail open: limits protect the shop from abuse, an outage of their store must not close it.
                    Log.LimiterUnavailable(logger, policy.Name, ex.GetType().Name);
                    return await next(context);
                }
                if (count.Count <= rule.Limit) return await next(context);

                var seconds = count.RetryAfterSeconds(rule.Window);
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                Log.Limited(logger, policy.Name);
                return TypedResults.Problem(title: "Too many requests", statusCode: StatusCodes.Status429TooManyRequests,
                    detail: $"Try again in {seconds} second(s).", extensions: new Dictionary<string, object?>
                    {
                        ["code"] = "RATE_LIMITED", ["policy"] = policy.Name, ["retryAfterSeconds"] = seconds,
                    });
            };
        }).ProducesProblem(StatusCodes.Status429TooManyRequests);

    /// <summary>"m:{id}" or "ip:{address}", or null when the request has neither (no limit can be applied).</summary>
    internal static string? SubjectOf(HttpContext http, RateLimitSubject subject)
    {
        if (subject == RateLimitSubject.Member && CurrentMember.BindAsync(http).Result is { } me)
            return "m:" + me.Id.ToString(CultureInfo.InvariantCulture);
        return ClientKey(http.Connection.RemoteIpAddress) is { } ip ? "ip:" + ip : null;
    }

    /// <summary>The client address as counted: IPv4 as is, IPv6 by its /64 (one subscriber holds a whole /64).</summary>
    public static string? ClientKey(IPAddress? address)
    {
        if (address is null) return null;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}

static partial class Log
{
    [LoggerMessage(9601, LogLevel.Information, "Rate limit {Policy} refused a request")]
    public static partial void Limited(ILogger logger, string policy);

    [LoggerMessage(9602, LogLevel.Warning, "Rate limit {Policy} not applied: its Redis counter is unavailable ({Error})")]
    public static partial void LimiterUnavailable(ILogger logger, string policy, string error);
}
