namespace WeChatMall.Sandbox.Recording;

/// <summary>
/// A message a follower would see: a passive reply to a callback, or a custom / template / subscribe / mass send.
/// <see cref="Payload"/> is what the app sent (reply XML or request JSON).
/// </summary>
public sealed record DeliveredMessage(
    long Id, DateTimeOffset At, string OpenId, string Kind, string MsgType, string? Content, string Payload);

public static class MessageKinds
{
    public const string Passive = "passive";
    public const string Custom = "custom";
    public const string Template = "template";
    public const string Subscribe = "subscribe";
    public const string Mass = "mass";
}

/// <summary>Thread-safe log of everything delivered to users.</summary>
public sealed class MessageLog(TimeProvider time)
{
    readonly Lock _lock = new();
    readonly List<DeliveredMessage> _messages = [];
    long _nextId;

    public DeliveredMessage Add(string openId, string kind, string msgType, string? content, string payload)
    {
        lock (_lock)
        {
            var message = new DeliveredMessage(++_nextId, time.GetUtcNow(), openId, kind, msgType, content, payload);
            _messages.Add(message);
            return message;
        }
    }

    public IReadOnlyList<DeliveredMessage> List(string? openId, string? kind)
    {
        lock (_lock)
            return [.. _messages.Where(m => (openId is null || m.OpenId == openId) && (kind is null || m.Kind == kind))];
    }

    public void Clear()
    {
        lock (_lock) _messages.Clear();
    }
}
