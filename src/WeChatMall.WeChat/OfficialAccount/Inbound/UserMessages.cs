namespace WeChatMall.WeChat.OfficialAccount.Inbound;

/// <summary>MsgType <c>text</c> (docs/wechat-protocol.md#user-messages).</summary>
public sealed record TextMessage : UserMessage
{
    public required string Content { get; init; }
}

/// <summary>MsgType <c>image</c> (docs/wechat-protocol.md#user-messages).</summary>
public sealed record ImageMessage : UserMessage
{
    public required string PicUrl { get; init; }
    public required string MediaId { get; init; }
}

/// <summary>MsgType <c>voice</c> (docs/wechat-protocol.md#user-messages). Recognition is often absent; do not depend on it.</summary>
public sealed record VoiceMessage : UserMessage
{
    public required string MediaId { get; init; }
    public required string Format { get; init; }
    public string? Recognition { get; init; }
}

/// <summary>MsgType <c>video</c> (docs/wechat-protocol.md#user-messages).</summary>
public sealed record VideoMessage : UserMessage
{
    public required string MediaId { get; init; }
    public required string ThumbMediaId { get; init; }
}

/// <summary>MsgType <c>shortvideo</c> (docs/wechat-protocol.md#user-messages).</summary>
public sealed record ShortVideoMessage : UserMessage
{
    public required string MediaId { get; init; }
    public required string ThumbMediaId { get; init; }
}

/// <summary>MsgType <c>location</c> (docs/wechat-protocol.md#user-messages): Location_X is the latitude, Location_Y the longitude.</summary>
public sealed record LocationMessage : UserMessage
{
    public required double Latitude { get; init; }
    public required double Longitude { get; init; }
    public required int Scale { get; init; }
    public required string Label { get; init; }
}

/// <summary>MsgType <c>link</c> (docs/wechat-protocol.md#user-messages).</summary>
public sealed record LinkMessage : UserMessage
{
    public required string Title { get; init; }
    public required string Description { get; init; }
    public required string Url { get; init; }
}
