using WeChatMall.Api.Features.AutoReplies;

namespace WeChatMall.Api.Tests.Features.AutoReplies;

public sealed class AutoReplyEngineTests
{
    private static readonly DateTime Now = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);
    private static long nextId;

    private static AutoReplyRule Rule(string trigger, string? pattern, string reply, string? match = null, int priority = 0,
        bool enabled = true, DateTime? from = null, DateTime? until = null, string mode = ReplyModes.Random, params string[] more) =>
        new(++nextId, reply, trigger, match, pattern, priority, enabled, from, until, mode,
            [new ReplySpec("text", reply), .. more.Select(m => new ReplySpec("text", m))], Now, Now);

    private static string? Answer(ReplyTrigger trigger, params AutoReplyRule[] rules) =>
        AutoReplyEngine.Match(RuleSnapshot.Create(1, rules, Now), trigger, Now, new Random(1))?.Passive.Content;

    [Test]
    public void Text_ExactMatch_IsCaseInsensitiveAndTrimmed() =>
        Assert.That(Answer(new("text", "  HeLLo "), Rule(Triggers.Keyword, "hello", "hi", MatchTypes.Exact)), Is.EqualTo("hi"));

    [Test]
    public void Text_Contains_MatchesWhenTheMessageContainsTheKeyword()
    {
        var rule = Rule(Triggers.Keyword, "price", "see menu", MatchTypes.Contains);
        Assert.Multiple(() =>
        {
            Assert.That(Answer(new("text", "what is the price?"), rule), Is.EqualTo("see menu"));
            Assert.That(Answer(new("text", "pri"), rule), Is.Null, "the keyword containing the message is not a match");
        });
    }

    [Test]
    public void Text_Regex_Matches() =>
        Assert.That(Answer(new("text", "order 12345"), Rule(Triggers.Keyword, @"^order\s+\d+$", "tracking", MatchTypes.Regex)), Is.EqualTo("tracking"));

    [Test]
    public void Text_CatastrophicRegex_TimesOutAsNoMatch_AndFallsToDefault()
    {
        var evil = Rule(Triggers.Keyword, "^(a+)+$", "never", MatchTypes.Regex, priority: 9);
        var fallback = Rule(Triggers.Default, null, "default");

        Assert.That(Answer(new("text", new string('a', 5000) + "!"), evil, fallback), Is.EqualTo("default"));
    }

    [Test]
    public void Text_HigherPriorityWins_ThenLowerId()
    {
        var low = Rule(Triggers.Keyword, "x", "low", MatchTypes.Exact, priority: 1);
        var high = Rule(Triggers.Keyword, "x", "high", MatchTypes.Exact, priority: 2);
        var highLater = Rule(Triggers.Keyword, "x", "high later", MatchTypes.Exact, priority: 2);

        Assert.That(Answer(new("text", "x"), highLater, low, high), Is.EqualTo("high"));
    }

    [Test]
    public void DisabledOrOutOfWindowRules_DoNotAnswer()
    {
        var disabled = Rule(Triggers.Keyword, "x", "disabled", MatchTypes.Exact, priority: 3, enabled: false);
        var future = Rule(Triggers.Keyword, "x", "future", MatchTypes.Exact, priority: 2, from: Now.AddHours(1));
        var expired = Rule(Triggers.Keyword, "x", "expired", MatchTypes.Exact, priority: 1, until: Now);
        var current = Rule(Triggers.Keyword, "x", "current", MatchTypes.Exact, from: Now.AddHours(-1), until: Now.AddHours(1));

        Assert.That(Answer(new("text", "x"), disabled, future, expired, current), Is.EqualTo("current"));
    }

    [Test]
    public void Subscribe_ChannelWelcomeWinsOverGenericWelcome()
    {
        var generic = Rule(Triggers.Subscribe, null, "welcome");
        var store = Rule(Triggers.Subscribe, "store-7", "welcome, store 7 visitor");
        Assert.Multiple(() =>
        {
            Assert.That(Answer(new("subscribe", Key: "store-7"), generic, store), Is.EqualTo("welcome, store 7 visitor"));
            Assert.That(Answer(new("subscribe", Key: "other"), generic, store), Is.EqualTo("welcome"));
            Assert.That(Answer(new("subscribe"), generic, store), Is.EqualTo("welcome"));
        });
    }

    [Test]
    public void ClickAndScan_MatchByKey_AndEventsNeverGetTheDefault()
    {
        var click = Rule(Triggers.Click, "MENU_A", "menu a");
        var scan = Rule(Triggers.Scan, "parcel", "thanks for buying");
        var fallback = Rule(Triggers.Default, null, "default");
        Assert.Multiple(() =>
        {
            Assert.That(Answer(new("click", Key: "MENU_A"), click, scan, fallback), Is.EqualTo("menu a"));
            Assert.That(Answer(new("click", Key: "MENU_B"), click, scan, fallback), Is.Null);
            Assert.That(Answer(new("scan", Key: "parcel"), click, scan, fallback), Is.EqualTo("thanks for buying"));
            Assert.That(Answer(new("event"), click, scan, fallback), Is.Null);
            Assert.That(Answer(new("message"), click, scan, fallback), Is.EqualTo("default"));
        });
    }

    [Test]
    public void ModeAll_FirstIsPassive_RestAreExtra()
    {
        var rule = Rule(Triggers.Keyword, "x", "one", MatchTypes.Exact, mode: ReplyModes.All, more: ["two", "three"]);
        var match = AutoReplyEngine.Match(RuleSnapshot.Create(1, [rule], Now), new("text", "x"), Now, new Random(1));

        Assert.Multiple(() =>
        {
            Assert.That(match!.Passive.Content, Is.EqualTo("one"));
            Assert.That(match.Extra.Select(e => e.Content), Is.EqualTo(new[] { "two", "three" }));
        });
    }

    [Test]
    public void ModeRandom_PicksAmongAllReplies()
    {
        var rule = Rule(Triggers.Keyword, "x", "a", MatchTypes.Exact, more: ["b", "c"]);
        var snapshot = RuleSnapshot.Create(1, [rule], Now);
        var random = new Random(42);
        var seen = Enumerable.Range(0, 200).Select(_ => AutoReplyEngine.Match(snapshot, new("text", "x"), Now, random)!.Passive.Content).ToHashSet();

        Assert.That(seen, Is.EquivalentTo(new[] { "a", "b", "c" }));
    }
}
