using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.Api.Infrastructure.RateLimiting;
using WeChatMall.WeChat;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Features.Members;

/// <summary>
/// Official Account web OAuth (H5 pages opened in WeChat's browser, where the shopper has no bearer token yet):
/// authorize → WeChat → callback → our session token, handed to the return page in the URL fragment.
/// </summary>
public static class OAuthEndpoints
{
    public static IEndpointRouteBuilder MapMemberOAuth(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/oauth").WithTags("Members").AllowAnonymous();
        g.MapGet("/authorize", Authorize).WithName("OAuthAuthorize").RateLimited(RateLimitPolicy.OAuthAuthorize);
        g.MapGet("/callback", OAuthCallback.Handle).WithName("OAuthCallback");
        return app;
    }

    static async Task<Results<RedirectHttpResult, ValidationProblem, ProblemHttpResult>> Authorize(
        string? scope, string? returnUrl, HttpContext http, OAuthStates states, WeChatOAuthClient oauth,
        IOptions<MemberOptions> options, IOptions<WeChatOptions> wechat, ILogger<MemberStore> logger, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (scope is not (null or "base" or "userinfo")) errors["scope"] = ["scope is base (openid only, silent) or userinfo (asks for the profile)."];
        if (!OAuthReturnUrl.IsAllowed(returnUrl, options.Value.OAuthReturnHosts))
            errors["returnUrl"] = ["returnUrl must be a path on this site or an http(s) URL on a host listed in Members:OAuthReturnHosts, without a fragment."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (string.IsNullOrEmpty(wechat.Value.OfficialAccount.AppId))
            return Problems.Unavailable("OAUTH_NOT_CONFIGURED", "Web OAuth is not configured", "Set WeChat:OfficialAccount:AppId and AppSecret.");

        var browserId = OAuthStates.BrowserId(http.Request);
        string? state;
        try
        {
            state = await states.CreateAsync(browserId, http.Connection.RemoteIpAddress?.ToString(), returnUrl!, scope ?? "base", ct);
        }
        catch (Exception ex) when (MemberSessions.IsOutage(ex))
        {
            Log.SessionStoreUnavailable(logger, ex.GetType().Name);
            return Problems.Unavailable("SESSIONS_UNAVAILABLE", "Sign-in is unavailable right now; try again shortly");
        }
        if (state is null)
        {
            http.Response.Headers.RetryAfter = ((int)states.Lifetime.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.TooManyRequests("OAUTH_PENDING_LIMIT", "Too many sign-ins started from this network; try again later");
        }
        // Lax: the cookie comes back on WeChat's top-level redirect to the callback, but not on cross-site subrequests.
        http.Response.Cookies.Append(OAuthStates.CookieName, browserId, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, Path = "/api/oauth",
            MaxAge = states.Lifetime, IsEssential = true,
        });
        var callback = options.Value.OAuthCallbackUrl is { Length: > 0 } configured
            ? configured
            : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/api/oauth/callback";
        var wechatScope = scope == "userinfo" ? OAuthScope.SnsapiUserInfo : OAuthScope.SnsapiBase;
        return TypedResults.Redirect(oauth.BuildAuthorizeUrl(callback, wechatScope, state));
    }

}
