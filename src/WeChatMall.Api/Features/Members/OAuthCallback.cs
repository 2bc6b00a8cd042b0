using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Polly;
using WeChatMall.Api.Features.Followers;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.WeChat.Api;
using static WeChatMall.Api.Features.Members.OAuthEndpoints;

namespace WeChatMall.Api.Features.Members;

/// <summary>
/// Where WeChat sends the browser back: check the state (single-use, this browser's), exchange the code, bind the
/// OA openid to a member (the UnionID's member when the mini-program already knows the person), and hand a session
/// token to the return page in the URL fragment, which browsers never send to a server or put in a Referer.
/// </summary>
public static class OAuthCallback
{
    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> Handle(
        string? code, string? state, HttpContext http, OAuthStates states, WeChatOAuthClient oauth, MemberStore members,
        MemberSessions sessions, MemberMerger merger, FollowerStore followers, TimeProvider time, ILogger<MemberStore> logger, CancellationToken ct)
    {
        if (state is not { Length: > 0 and <= 128 })
            return Problems.BadRequest("OAUTH_STATE_INVALID", "The sign-in link is invalid", "Start again from the page that sent you here.");
        PendingOAuth? pending;
        try
        {
            pending = await states.ConsumeAsync(state, ct);
        }
        catch (Exception ex) when (MemberSessions.IsOutage(ex))
        {
            Log.SessionStoreUnavailable(logger, ex.GetType().Name);
            return Problems.Unavailable("SESSIONS_UNAVAILABLE", "Sign-in is unavailable right now; try again shortly");
        }
        if (pending is null)
            return Problems.BadRequest("OAUTH_STATE_INVALID", "The sign-in link is unknown, expired or already used",
                "Start again from the page that sent you here; each sign-in link works once, for a few minutes.");
        if (!OAuthStates.IsSameBrowser(pending, http.Request.Cookies[OAuthStates.CookieName]))
            return Problems.BadRequest("OAUTH_STATE_MISMATCH", "The sign-in was started in another browser",
                "Open the page again in this browser and sign in from there.");
        // WeChat comes back without a code when the user refuses snsapi_userinfo.
        if (string.IsNullOrEmpty(code)) return TypedResults.Redirect(OAuthReturnUrl.With(pending.ReturnUrl, "denied"));

        OAuthAccessToken grant;
        OAuthUserInfo? profile = null;
        try
        {
            grant = await oauth.ExchangeCodeAsync(code, ct);
            if (!grant.IsSnapshotUser && pending.Scope == "userinfo") profile = await TryGetProfileAsync(oauth, grant, logger, ct);
        }
        catch (WeChatApiException ex) when (ex.Kind is WeChatErrorKind.InvalidCode or WeChatErrorKind.CodeAlreadyUsed)
        {
            return Problems.Unauthorized("OAUTH_CODE_INVALID", "The WeChat authorization code is invalid, expired or already used",
                "Start again from the page that sent you here.");
        }
        catch (Exception ex) when (IsWeChatFailure(ex, ct))
        {
            Log.WeChatOAuthFailed(logger, (ex as WeChatApiException)?.Errcode, ex.GetType().Name);
            return Problems.Unavailable("WECHAT_UNAVAILABLE", "WeChat sign-in is unavailable right now",
                "The WeChat server could not be reached or refused the request; try again shortly.");
        }
        // A snapshot-page visitor has a virtual openid that is nobody: binding it would create a phantom member.
        if (grant.IsSnapshotUser) return TypedResults.Redirect(OAuthReturnUrl.With(pending.ReturnUrl, "snapshot"));

        var now = time.GetUtcNow().UtcDateTime;
        var login = await members.FindOrCreateByOfficialAccountAsync(grant.OpenId, grant.UnionId ?? profile?.UnionId, now, ct);
        if (login.Created) Log.MemberCreatedByOAuth(logger, login.MemberId);
        if (login.UnionIdHeldBy is { } other) Log.UnionIdOnOtherMember(logger, login.MemberId, other);
        var memberId = await merger.TryMergeOnLoginAsync(login, ct);
        if (profile is { Nickname.Length: > 0 }) await followers.SetNicknameAsync(grant.OpenId, profile.Nickname, now, ct);

        IssuedSession issued;
        try
        {
            issued = await sessions.IssueAsync(memberId, ct);
        }
        catch (Exception ex) when (MemberSessions.IsOutage(ex))
        {
            Log.SessionStoreUnavailable(logger, ex.GetType().Name);
            return Problems.Unavailable("SESSIONS_UNAVAILABLE", "Sessions are unavailable right now; try again shortly");
        }
        var fragment = string.Create(CultureInfo.InvariantCulture,
            $"token={issued.Token}&expiresAt={issued.ExpiresAt.ToUnixTimeSeconds()}&memberId={memberId}&isNewMember={(login.Created ? "true" : "false")}");
        // The token must not be cached anywhere on the way.
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Redirect(OAuthReturnUrl.With(pending.ReturnUrl, "ok", fragment));
    }

    // The profile only adds a nickname (and a UnionID the exchange usually already gave): its failure does not stop sign-in.
    static async Task<OAuthUserInfo?> TryGetProfileAsync(WeChatOAuthClient oauth, OAuthAccessToken grant, ILogger logger, CancellationToken ct)
    {
        try
        {
            return await oauth.GetUserInfoAsync(grant.AccessToken, grant.OpenId, ct);
        }
        catch (Exception ex) when (IsWeChatFailure(ex, ct))
        {
            Log.WeChatOAuthFailed(logger, (ex as WeChatApiException)?.Errcode, ex.GetType().Name);
            return null;
        }
    }

    static bool IsWeChatFailure(Exception ex, CancellationToken ct) => !ct.IsCancellationRequested
        && ex is WeChatApiException or HttpRequestException or TaskCanceledException or ExecutionRejectedException;
}

static partial class Log
{
    [LoggerMessage(7006, LogLevel.Information, "Member {MemberId} created by Official Account web OAuth")]
    public static partial void MemberCreatedByOAuth(ILogger logger, long memberId);

    [LoggerMessage(7007, LogLevel.Warning, "Web OAuth failed at WeChat (errcode {Errcode}, {Error})")]
    public static partial void WeChatOAuthFailed(ILogger logger, int? errcode, string error);
}
