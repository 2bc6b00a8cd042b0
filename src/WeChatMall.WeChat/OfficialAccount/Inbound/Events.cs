namespace WeChatMall.WeChat.OfficialAccount.Inbound;

/// <summary>Event <c>subscribe</c> (docs/wechat-protocol.md#events). Via a parametric QR code EventKey is <c>qrscene_</c> + scene.</summary>
public sealed record SubscribeEvent : EventMessage
{
    public string? Ticket { get; init; }
    /// <summary>The QR scene without the <c>qrscene_</c> prefix; null for a plain follow.</summary>
    public string? SceneKey => EventKey.StartsWith("qrscene_", StringComparison.Ordinal) ? EventKey["qrscene_".Length..] : null;
}

/// <summary>Event <c>unsubscribe</c> (docs/wechat-protocol.md#events). Replies are not shown to the user.</summary>
public sealed record UnsubscribeEvent : EventMessage;

/// <summary>Event <c>SCAN</c>: an existing follower scanned a parametric QR code; EventKey is the bare scene (docs/wechat-protocol.md#events).</summary>
public sealed record ScanEvent : EventMessage
{
    public string? Ticket { get; init; }
}

/// <summary>Event <c>LOCATION</c>: periodic location report (docs/wechat-protocol.md#events).</summary>
public sealed record LocationReportEvent : EventMessage
{
    public required double Latitude { get; init; }
    public required double Longitude { get; init; }
    public required double Precision { get; init; }
}

/// <summary>Event <c>TEMPLATESENDJOBFINISH</c> (docs/wechat-protocol.md#events); MsgId comes from the element <c>MsgID</c>.</summary>
public sealed record TemplateSendJobFinishEvent : EventMessage
{
    public required long MsgId { get; init; }
    /// <summary><c>success</c>, <c>failed:user block</c>, <c>failed: system failed</c>, …</summary>
    public required string Status { get; init; }
}

/// <summary>Event <c>MASSSENDJOBFINISH</c> (docs/wechat-protocol.md#events).</summary>
public sealed record MassSendJobFinishEvent : EventMessage
{
    public required long MsgId { get; init; }
    public required string Status { get; init; }
    public long TotalCount { get; init; }
    public long FilterCount { get; init; }
    public long SentCount { get; init; }
    public long ErrorCount { get; init; }
    // Two jobs may finish in the same second: the job's MsgID keeps their reports apart.
    public override string DedupKey => $"{FromUserName}:{CreateTime}:{Event}:{MsgId}";
}

/// <summary>
/// Event <c>subscribe_msg_popup_event</c>: the member answered a mini-program subscribe prompt
/// (developers.weixin.qq.com/miniprogram/dev/framework/open-ability/subscribe-message.html). Each accepted one-time
/// template allows one send.
/// </summary>
public sealed record SubscribeMsgPopupEvent : EventMessage
{
    public required IReadOnlyList<SubscribeChoice> Choices { get; init; }
}

/// <summary>One template of a subscribe prompt and the member's answer: <c>accept</c>, <c>reject</c> or <c>ban</c>.</summary>
public sealed record SubscribeChoice(string TemplateId, string Status);
