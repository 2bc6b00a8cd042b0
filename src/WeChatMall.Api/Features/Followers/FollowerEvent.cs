namespace WeChatMall.Api.Features.Followers;

/// <summary>One inbound message or event as we keep it: enough for segmentation, nothing secret.</summary>
public sealed record FollowerEvent(
    string DedupKey, string OpenId, string MsgType, string? Event, string? EventKey, string? Content, long? MsgId,
    DateTime WeChatCreatedAt, DateTime ReceivedAt)
{
    /// <summary>How the event changes the follower row.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public FollowerChange Change => (MsgType, Event?.ToLowerInvariant()) switch
    {
        ("event", "subscribe") => FollowerChange.Subscribed,
        ("event", "unsubscribe") => FollowerChange.Unsubscribed,
        ("event", "scan") => FollowerChange.Scanned,
        // Template/mass-send job reports are WeChat talking, not the follower.
        ("event", "templatesendjobfinish" or "masssendjobfinish") => FollowerChange.None,
        _ => FollowerChange.Interacted,
    };

    /// <summary>The parametric QR scene this event carries, if any (subscribe via QR, or SCAN).</summary>
    public string? Channel { get; init; }
}

public enum FollowerChange { None, Interacted, Subscribed, Unsubscribed, Scanned }

public sealed record FollowerProfile(long Id, string OpenId, string State, string? Nickname, string? SourceChannel);
