namespace WeChatMall.WeChat.Pay;

static class SignatureClock
{
    // All official SDKs reject |now - timestamp| >= 5 minutes; the same window guards against replays.
    public static bool IsFresh(TimeProvider time, long unixSeconds)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return Math.Abs(now - unixSeconds) < 5 * 60;
    }
}
