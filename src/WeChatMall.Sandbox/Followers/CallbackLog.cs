namespace WeChatMall.Sandbox.Followers;

/// <summary>One push to the app's callback URL, with all its attempts (WeChat re-sends on timeout or non-200).</summary>
public sealed record CallbackDelivery(
    long Id, DateTimeOffset At, string OpenId, string What, bool SafeMode, string Status, int Attempts, int? HttpStatus,
    string? Error, string RequestXml, string? Raw, ReplyView? Reply);

public static class DeliveryStatus
{
    public const string Replied = "replied";          // a valid passive reply, shown to the follower
    public const string NoReply = "no_reply";         // "success" or an empty body
    public const string InvalidReply = "invalid_reply"; // WeChat would show "该公众号暂时无法提供服务"
    public const string Failed = "failed";            // no 200 within the timeout, after every retry
}

/// <summary>Thread-safe log of callback deliveries.</summary>
public sealed class CallbackLog
{
    readonly Lock _lock = new();
    readonly List<CallbackDelivery> _deliveries = [];
    long _nextId;

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void Add(CallbackDelivery d)
    {
        lock (_lock) _deliveries.Add(d);
    }

    public IReadOnlyList<CallbackDelivery> List(string? openId)
    {
        lock (_lock) return [.. _deliveries.Where(d => openId is null || d.OpenId == openId)];
    }

    public void Clear()
    {
        lock (_lock) _deliveries.Clear();
    }
}
