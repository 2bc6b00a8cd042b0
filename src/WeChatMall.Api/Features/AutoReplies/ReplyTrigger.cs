namespace WeChatMall.Api.Features.AutoReplies;

/// <summary>What a follower did, reduced to what the rules look at.</summary>
public sealed record ReplyTrigger(string Kind, string? Text = null, string? Key = null)
{
    public const string TextMessage = "text";         // Text = the message
    public const string OtherMessage = "message";     // image, voice, location … : only the default rule answers
    public const string SubscribeEvent = "subscribe"; // Key = QR scene without the qrscene_ prefix, or null
    public const string ScanEvent = "scan";           // Key = QR scene
    public const string ClickEvent = "click";         // Key = menu key
    public const string OtherEvent = "event";         // never answered
    public static readonly string[] Kinds = [TextMessage, OtherMessage, SubscribeEvent, ScanEvent, ClickEvent, OtherEvent];
}

/// <summary>The rule that answers and what it says: the passive reply, plus extras for the customer-service API.</summary>
public sealed record AutoReplyMatch(AutoReplyRule Rule, ReplySpec Passive, IReadOnlyList<ReplySpec> Extra);
