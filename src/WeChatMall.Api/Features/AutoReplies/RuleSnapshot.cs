using System.Text.RegularExpressions;

namespace WeChatMall.Api.Features.AutoReplies;

/// <summary>An immutable, pre-sorted rule set with its regexes compiled once, shared by all requests.</summary>
public sealed record RuleSnapshot(long Version, IReadOnlyList<AutoReplyRule> Rules, DateTimeOffset CheckedAt)
{
    public IReadOnlyDictionary<long, Regex> Regexes { get; private init; } = new Dictionary<long, Regex>();

    public static RuleSnapshot Create(long version, IEnumerable<AutoReplyRule> rules, DateTimeOffset checkedAt)
    {
        var ordered = rules.OrderByDescending(r => r.Priority).ThenBy(r => r.Id).ToList();
        var regexes = new Dictionary<long, Regex>();
        foreach (var rule in ordered.Where(r => r is { Trigger: Triggers.Keyword, MatchType: MatchTypes.Regex, Pattern: not null }))
        {
            try
            {
                regexes[rule.Id] = new Regex(rule.Pattern!, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase,
                    AutoReplyRuleRequest.RegexTimeout);
            }
            catch (ArgumentException)
            {
                // Validated on write; a pattern that no longer compiles simply never matches.
            }
        }
        return new RuleSnapshot(version, ordered, checkedAt) { Regexes = regexes };
    }
}
