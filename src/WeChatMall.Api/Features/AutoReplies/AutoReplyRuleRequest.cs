using System.Text.RegularExpressions;

namespace WeChatMall.Api.Features.AutoReplies;

/// <summary>Create/replace body. Higher <c>Priority</c> wins; ties go to the older rule (lower id).</summary>
public sealed record AutoReplyRuleRequest(
    string? Name, string? Trigger, string? MatchType, string? Pattern, int Priority = 0, bool Enabled = true,
    DateTimeOffset? ValidFrom = null, DateTimeOffset? ValidUntil = null, string? ReplyMode = ReplyModes.Random,
    IReadOnlyList<ReplySpec>? Replies = null)
{
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field, []), message];

        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 100) Add(nameof(Name), "Name is required (1–100 characters).");
        if (Trigger is null || !Triggers.All.Contains(Trigger))
            Add(nameof(Trigger), $"Trigger must be one of: {string.Join(", ", Triggers.All)}.");
        if (Pattern is { Length: > 500 }) Add(nameof(Pattern), "Pattern is at most 500 characters.");
        switch (Trigger)
        {
            case Triggers.Keyword:
                if (MatchType is null || !MatchTypes.All.Contains(MatchType))
                    Add(nameof(MatchType), $"Keyword rules need MatchType: {string.Join(", ", MatchTypes.All)}.");
                if (string.IsNullOrWhiteSpace(Pattern)) Add(nameof(Pattern), "Keyword rules need a Pattern (the keyword or regex).");
                else if (MatchType == MatchTypes.Regex && RegexError(Pattern) is { } reason)
                    Add(nameof(Pattern), $"Invalid regular expression: {reason}");
                break;
            case Triggers.Click:
                if (string.IsNullOrWhiteSpace(Pattern) || Pattern.Length > 128) Add(nameof(Pattern), "Click rules need the menu key as Pattern (1–128 characters).");
                break;
            case Triggers.Subscribe or Triggers.Scan:
                if (Pattern is { Length: > 64 }) Add(nameof(Pattern), "A QR scene is at most 64 characters.");
                break;
        }
        if (Trigger is not Triggers.Keyword && MatchType is not null) Add(nameof(MatchType), "Only keyword rules take a MatchType.");
        if (ReplyMode is null || !ReplyModes.Values.Contains(ReplyMode))
            Add(nameof(ReplyMode), $"ReplyMode must be one of: {string.Join(", ", ReplyModes.Values)}.");
        if (ValidFrom is not null && ValidUntil is not null && ValidFrom >= ValidUntil)
            Add(nameof(ValidUntil), "ValidUntil must be after ValidFrom.");
        if (Replies is null || Replies.Count is 0 or > 10) Add(nameof(Replies), "Give 1 to 10 replies.");
        else
            for (var i = 0; i < Replies.Count; i++)
                foreach (var message in ReplySpecValidator.Validate(Replies[i]))
                    Add($"{nameof(Replies)}[{i}]", message);
        if (ReplyMode == ReplyModes.All && Replies is { Count: > 1 } && Replies.Skip(1).Any(r => r?.Type == "transfer"))
            Add(nameof(Replies), "A transfer can only be the first reply: later replies go out as customer-service messages.");
        return errors;
    }

    private static string? RegexError(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout);
            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }
}
