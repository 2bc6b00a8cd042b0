using Microsoft.AspNetCore.Http.HttpResults;
using Polly;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.WeChat.Api;
using WeChatMall.WeChat.MiniProgram;

namespace WeChatMall.Api.Features.Members;

/// <summary>
/// Mini-program login: wx.login code → code2Session → member (found or created) → our own session token.
/// The session_key WeChat returns is dropped here: nothing we do needs it (phone numbers come from their own
/// code), and a key we never keep cannot leak.
/// </summary>
public static class LoginMember
{
    public static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> Handle(
        LoginRequest request, MiniProgramClient miniProgram, MemberStore members, MemberSessions sessions,
        MemberMerger merger, ISignupReferral referrals, TimeProvider time, ILogger<MemberStore> logger, CancellationToken ct)
    {
        MiniProgramSession session;
        try
        {
            session = await miniProgram.Code2SessionAsync(request.Code.Trim(), ct);
        }
        catch (WeChatApiException ex) when (ex.Kind is WeChatErrorKind.InvalidCode or WeChatErrorKind.CodeAlreadyUsed)
        {
            return Problems.Unauthorized("LOGIN_CODE_INVALID", "The login code is invalid, expired or already used",
                "Call wx.login again and send the new code; each code works once, for 5 minutes.");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested
            && ex is WeChatApiException or HttpRequestException or TaskCanceledException or ExecutionRejectedException)
        {
            Log.WeChatLoginFailed(logger, (ex as WeChatApiException)?.Errcode, ex.GetType().Name);
            return Problems.Unavailable("WECHAT_UNAVAILABLE", "WeChat login is unavailable right now",
                "The WeChat server could not be reached or refused the request; try again shortly.");
        }

        var login = await members.FindOrCreateByMiniProgramAsync(session.OpenId, session.UnionId, time.GetUtcNow().UtcDateTime, ct);
        if (login.Created) Log.MemberCreated(logger, login.MemberId);
        if (login.UnionIdHeldBy is { } other) Log.UnionIdOnOtherMember(logger, login.MemberId, other);
        // The same person twice: the older member absorbs the other; if that fails the login goes on as before.
        var memberId = await merger.TryMergeOnLoginAsync(login, ct);
        // A referral is bound only to a member this login created (an existing member uses POST /api/me/referrer).
        string? referralRefused = null;
        if (login.Created && memberId == login.MemberId && !string.IsNullOrWhiteSpace(request.InviteCode))
            referralRefused = await referrals.BindOnSignupAsync(memberId, request.InviteCode, ct);
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
        return TypedResults.Ok(new LoginResponse(issued.Token, issued.ExpiresAt, memberId, login.Created, referralRefused));
    }

    public static async Task<NoContent> Logout(HttpRequest request, MemberSessions sessions, CancellationToken ct)
    {
        // The policy already proved the token valid; deleting it ends the session on every instance.
        await sessions.RevokeAsync(MemberAuth.BearerToken(request)!, ct);
        return TypedResults.NoContent();
    }
}

static partial class Log
{
    [LoggerMessage(7001, LogLevel.Information, "Member {MemberId} created by mini-program login")]
    public static partial void MemberCreated(ILogger logger, long memberId);

    [LoggerMessage(7002, LogLevel.Warning, "Member {MemberId} logged in with a UnionID already bound to member {OtherMemberId}; merging them")]
    public static partial void UnionIdOnOtherMember(ILogger logger, long memberId, long otherMemberId);

    [LoggerMessage(7003, LogLevel.Warning, "Mini-program login failed at WeChat (errcode {Errcode}, {Error})")]
    public static partial void WeChatLoginFailed(ILogger logger, int? errcode, string error);

    [LoggerMessage(7005, LogLevel.Warning, "Member sessions unavailable: Redis failed with {Error}")]
    public static partial void SessionStoreUnavailable(ILogger logger, string error);

    [LoggerMessage(7004, LogLevel.Information, "Points of member {MemberId} adjusted by {Delta} to {Balance} by an operator")]
    public static partial void PointsAdjusted(ILogger logger, long memberId, long delta, long balance);
}
