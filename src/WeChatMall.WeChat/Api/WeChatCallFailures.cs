using Polly.Timeout;

namespace WeChatMall.WeChat.Api;

/// <summary>How a call to WeChat failed, for callers that must decide whether WeChat may still have taken it.</summary>
public static class WeChatCallFailures
{
    /// <summary>The call timed out (HttpClient's timeout or the resilience pipeline's): WeChat may have taken it.</summary>
    public static bool IsTimeout(Exception e) => e is TimeoutException or TaskCanceledException or TimeoutRejectedException;
}
