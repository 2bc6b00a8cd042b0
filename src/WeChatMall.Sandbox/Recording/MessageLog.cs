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
    public const string MassPreview = "mass_preview";
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

    /// <summary>Counts for a benchmark: messages, distinct recipients, recipients reached more than once, first and last time.</summary>
    public MessageStats Stats(string? kind)
    {
        lock (_lock)
        {
            var selected = _messages.Where(m => kind is null || m.Kind == kind).ToList();
            var perRecipient = selected.CountBy(m => m.OpenId).ToList();
            return new MessageStats(selected.Count, perRecipient.Count, perRecipient.Count(r => r.Value > 1),
                selected.Count == 0 ? null : selected.Min(m => m.At), selected.Count == 0 ? null : selected.Max(m => m.At));
        }
    }

    public void Clear()
    {
        lock (_lock) _messages.Clear();
    }
}

public sealed record MessageStats(int Messages, int Recipients, int RecipientsReachedTwice, DateTimeOffset? First, DateTimeOffset? Last);
