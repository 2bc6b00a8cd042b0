namespace WeChatMall.Api.Features.AutoReplies;

/// <summary>What makes a rule answer. Keyword rules match user text; the others match events by key.</summary>
public static class Triggers
{
    public const string Keyword = "keyword";    // text message; pattern = keyword or regex
    public const string Subscribe = "subscribe"; // follow; pattern = QR scene (channel) or null for the generic welcome
    public const string Scan = "scan";          // existing follower scans a parametric QR; pattern = scene or null
    public const string Click = "click";        // menu CLICK; pattern = menu key
    public const string Default = "default";    // a user message nothing else matched
    public static readonly string[] All = [Keyword, Subscribe, Scan, Click, Default];
}

public static class MatchTypes
{
    public const string Exact = "exact";       // the whole message equals the keyword (case-insensitive, trimmed)
    public const string Contains = "contains"; // the message contains the keyword
    public const string Regex = "regex";       // the message matches the .NET regular expression
    public static readonly string[] All = [Exact, Contains, Regex];
}

public static class ReplyModes
{
    public const string Random = "random"; // one of the replies, chosen at random
    public const string All = "all";       // the first as the passive reply, the rest as customer-service messages
    public static readonly string[] Values = [Random, All];
}

/// <summary>One reply. <c>Type</c>: text (Content), image (MediaId), news (Title, Description, PicUrl, Url), transfer (KfAccount?).</summary>
public sealed record ReplySpec(
    string Type, string? Content = null, string? MediaId = null, string? Title = null,
    string? Description = null, string? PicUrl = null, string? Url = null, string? KfAccount = null);

public sealed record AutoReplyRule(
    long Id, string Name, string Trigger, string? MatchType, string? Pattern, int Priority, bool Enabled,
    DateTime? ValidFrom, DateTime? ValidUntil, string ReplyMode, IReadOnlyList<ReplySpec> Replies,
    DateTime CreatedAt, DateTime UpdatedAt)
{
    public bool IsActiveAt(DateTime utcNow) =>
        Enabled && (ValidFrom is null || utcNow >= ValidFrom) && (ValidUntil is null || utcNow < ValidUntil);
}
