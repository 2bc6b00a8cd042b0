using Microsoft.AspNetCore.Http.HttpResults;
using Polly;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Features.Channels;

/// <summary>How a failed call to WeChat reaches the admin: refused (502, with WeChat's errcode) or unreachable (503).</summary>
static class WeChatFailure
{
    public static bool IsWeChatFailure(Exception ex, CancellationToken ct) => !ct.IsCancellationRequested
        && ex is WeChatApiException or HttpRequestException or TaskCanceledException or ExecutionRejectedException;

    public static ProblemHttpResult Problem(Exception ex, ILogger logger, string call)
    {
        if (ex is WeChatApiException { Kind: not (WeChatErrorKind.SystemBusy or WeChatErrorKind.InvalidResponse) } api)
        {
            Log.WeChatRefused(logger, call, api.Errcode);
            return Problems.Of(StatusCodes.Status502BadGateway, "WECHAT_REJECTED", "WeChat refused the call",
                $"{call}: errcode {api.Errcode} ({api.Errmsg})", new Dictionary<string, object?> { ["errcode"] = api.Errcode });
        }
        Log.WeChatUnreachable(logger, call, ex.GetType().Name);
        return Problems.Unavailable("WECHAT_UNAVAILABLE", "WeChat is unavailable right now", "Try again shortly.");
    }
}
