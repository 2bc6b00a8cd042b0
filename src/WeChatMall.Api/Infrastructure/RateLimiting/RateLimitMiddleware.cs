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
    /// Counts each request of the endpoint against <paramref name="policy"/> (see <see cref="RateLimitMiddleware"/>).
    /// </summary>
    public static RouteHandlerBuilder RateLimited(this RouteHandlerBuilder builder, RateLimitPolicy policy) =>
        builder.WithMetadata(policy).ProducesProblem(StatusCodes.Status429TooManyRequests);

    /// <summary>After authentication (to know the member) and before model binding and validation, so that malformed
    /// requests count too.</summary>
    public static IApplicationBuilder UseRateLimits(this IApplicationBuilder app) => app.UseMiddleware<RateLimitMiddleware>();

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

/// <summary>
/// Applies the <see cref="RateLimitPolicy"/> an endpoint carries: one Redis fixed-window hit per request, 429
/// RATE_LIMITED with Retry-After past the limit. Not the ASP.NET rate limiter: its limiters live in one process,
/// these must hold across instances, and they share the counter (and key prefix) with the product-code failure limit.
/// </summary>
public sealed class RateLimitMiddleware(RequestDelegate next, IOptionsMonitor<RateLimitOptions> options, IDatabase redis,
    IProblemDetailsService problems, ILogger<RateLimitMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var o = options.CurrentValue;
        if (!o.Enabled || http.GetEndpoint()?.Metadata.GetMetadata<RateLimitPolicy>() is not { } policy
            || policy.AppliesTo?.Invoke(http) == false || RateLimitEndpoints.SubjectOf(http, policy.Subject) is not { } subject)
        {
            await next(http);
            return;
        }
        var rule = policy.Rule(o);
        WindowCount count;
        try
        {
            count = await RedisWindow.HitAsync(redis, RedisKeys.RateLimit(policy.Name, subject), rule.Window, http.RequestAborted)
                .WaitAsync(TimeSpan.FromMilliseconds(o.RedisTimeoutMs), http.RequestAborted);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Fail open: the limits protect the shop from abuse; an outage of their store must not close it.
            Log.LimiterUnavailable(logger, policy.Name, ex.GetType().Name);
            await next(http);
            return;
        }
        if (count.Count <= rule.Limit)
        {
            await next(http);
            return;
        }

        var seconds = count.RetryAfterSeconds(rule.Window);
        Log.Limited(logger, policy.Name);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Title = "Too many requests", Status = StatusCodes.Status429TooManyRequests, Detail = $"Try again in {seconds} second(s).",
                Extensions = { ["code"] = "RATE_LIMITED", ["policy"] = policy.Name, ["retryAfterSeconds"] = seconds },
            },
        });
    }
}

static partial class Log
{
    [LoggerMessage(9601, LogLevel.Information, "Rate limit {Policy} refused a request")]
    public static partial void Limited(ILogger logger, string policy);

    [LoggerMessage(9602, LogLevel.Warning, "Rate limit {Policy} not applied: its Redis counter is unavailable ({Error})")]
    public static partial void LimiterUnavailable(ILogger logger, string policy, string error);
}
