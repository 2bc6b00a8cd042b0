namespace WeChatMall.WeChat.OfficialAccount.Inbound;

/// <summary>Event <c>CLICK</c>: EventKey is the menu key (docs/wechat-protocol.md#events).</summary>
public sealed record ClickEvent : EventMessage;

/// <summary>Event <c>VIEW</c>: EventKey is the URL the user already opened (docs/wechat-protocol.md#events).</summary>
public sealed record ViewEvent : EventMessage
{
    public string? MenuId { get; init; }
}

/// <summary>Event <c>view_miniprogram</c>: EventKey is the page path (docs/wechat-protocol.md#events).</summary>
public sealed record ViewMiniProgramEvent : EventMessage
{
    public string? MenuId { get; init; }
}

/// <summary>Events <c>scancode_push</c> and <c>scancode_waitmsg</c> (docs/wechat-protocol.md#events).</summary>
public sealed record ScanCodeEvent : EventMessage
{
    public required string ScanType { get; init; }
    public required string ScanResult { get; init; }
}

/// <summary>Events <c>pic_sysphoto</c>, <c>pic_photo_or_album</c>, <c>pic_weixin</c> (docs/wechat-protocol.md#events).</summary>
public sealed record SendPicturesEvent : EventMessage
{
    public required int Count { get; init; }
    public required IReadOnlyList<string> PicMd5Sums { get; init; }
}

/// <summary>Event <c>location_select</c> (docs/wechat-protocol.md#events).</summary>
public sealed record LocationSelectEvent : EventMessage
{
    public required double Latitude { get; init; }
    public required double Longitude { get; init; }
    public required int Scale { get; init; }
    public required string Label { get; init; }
    public string? Poiname { get; init; }
}
