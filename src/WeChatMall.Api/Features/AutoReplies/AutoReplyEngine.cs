using System.Text.RegularExpressions;

namespace WeChatMall.Api.Features.AutoReplies;

/// <summary>Chooses the rule that answers a trigger: pure, deterministic apart from the "random" reply pick.</summary>
public static class AutoReplyEngine
{
    public static AutoReplyMatch? Match(RuleSnapshot snapshot, ReplyTrigger trigger, DateTime utcNow, Random random)
    {
        var active = snapshot.Rules.Where(r => r.IsActiveAt(utcNow));
        var rule = trigger.Kind switch
        {
            ReplyTrigger.TextMessage =>
                active.FirstOrDefault(r => r.Trigger == Triggers.Keyword && KeywordMatches(snapshot, r, trigger.Text ?? ""))
                ?? Default(active),
            ReplyTrigger.OtherMessage => Default(active),
            ReplyTrigger.SubscribeEvent => ByScene(active, Triggers.Subscribe, trigger.Key),
            ReplyTrigger.ScanEvent => ByScene(active, Triggers.Scan, trigger.Key),
            ReplyTrigger.ClickEvent => active.FirstOrDefault(r => r.Trigger == Triggers.Click && r.Pattern == trigger.Key),
            _ => null,
        };
        if (rule is null || rule.Replies.Count == 0) return null;
        return rule.ReplyMode == ReplyModes.All
            ? new AutoReplyMatch(rule, rule.Replies[0], rule.Replies.Skip(1).ToList())
            : new AutoReplyMatch(rule, rule.Replies[random.Next(rule.Replies.Count)], []);
    }

    private static AutoReplyRule? Default(IEnumerable<AutoReplyRule> active) =>
        active.FirstOrDefault(r => r.Trigger == Triggers.Default);

    // A rule for the exact scene (channel) wins over the generic one without a scene.
    private static AutoReplyRule? ByScene(IEnumerable<AutoReplyRule> active, string trigger, string? scene)
    {
        var candidates = active.Where(r => r.Trigger == trigger).ToList();
        return (scene is null ? null : candidates.FirstOrDefault(r => r.Pattern == scene))
            ?? candidates.FirstOrDefault(r => r.Pattern is null);
    }

    private static bool KeywordMatches(RuleSnapshot snapshot, AutoReplyRule rule, string text)
    {
        var message = text.Trim();
        switch (rule.MatchType)
        {
            case MatchTypes.Exact: return string.Equals(message, rule.Pattern, StringComparison.OrdinalIgnoreCase);
            case MatchTypes.Contains: return message.Contains(rule.Pattern!, StringComparison.OrdinalIgnoreCase);
            case MatchTypes.Regex when snapshot.Regexes.TryGetValue(rule.Id, out var regex):
                try { return regex.IsMatch(message); }
                catch (RegexMatchTimeoutException) { return false; } // a pathological pattern must not stall the callback
            default: return false;
        }
    }
}
