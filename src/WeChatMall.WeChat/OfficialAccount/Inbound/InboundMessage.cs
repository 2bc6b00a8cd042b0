namespace WeChatMall.WeChat.OfficialAccount.Inbound;

/// <summary>Common fields of every pushed message and event (接收普通消息 / 接收事件推送, docs/wechat-protocol.md#common-fields).</summary>
public abstract record InboundMessage
{
    public required string ToUserName { get; init; }
    public required string FromUserName { get; init; }
    public required long CreateTime { get; init; }
    public required string MsgType { get; init; }

    /// <summary>Stable per-delivery key for de-duplicating WeChat's retries (docs/wechat-protocol.md#retries-and-de-duplication).</summary>
    public abstract string DedupKey { get; }
}

/// <summary>A normal user message: MsgId is unique only together with the sender (docs/wechat-protocol.md#retries-and-de-duplication).</summary>
public abstract record UserMessage : InboundMessage
{
    public required long MsgId { get; init; }
    public override string DedupKey => $"{FromUserName}:{MsgId}";
}

/// <summary>An event push (MsgType <c>event</c>, docs/wechat-protocol.md#events). Events have no MsgId.</summary>
public abstract record EventMessage : InboundMessage
{
    public required string Event { get; init; }
    /// <summary>Raw EventKey (empty when absent).</summary>
    public string EventKey { get; init; } = "";
    // LOCATION reports and repeated unsubscribes can share CreateTime, hence Event and EventKey in the key.
    public override string DedupKey => $"{FromUserName}:{CreateTime}:{Event}:{EventKey}";
}

/// <summary>A MsgType this library does not model; all leaf fields are kept by name (nested as <c>A/B</c>).</summary>
public sealed record UnknownMessage : InboundMessage
{
    public required IReadOnlyDictionary<string, string> Fields { get; init; }
    public override string DedupKey => Fields.TryGetValue("MsgId", out var id)
        ? $"{FromUserName}:{id}" : $"{FromUserName}:{CreateTime}:{MsgType}";
}

/// <summary>An Event this library does not model; all leaf fields are kept by name (nested as <c>A/B</c>).</summary>
public sealed record UnknownEvent : EventMessage
{
    public required IReadOnlyDictionary<string, string> Fields { get; init; }
}
