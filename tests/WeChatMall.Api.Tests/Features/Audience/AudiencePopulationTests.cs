using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Audience.AudienceShop;

namespace WeChatMall.Api.Tests.Features.Audience;

/// <summary>
/// A hand-built population of 18 members with distinct traits: orders two months ago and now, in two categories, a
/// partial and a full refund, follows through two QR scenes, an unfollow, messages. Stats are kept by the payment,
/// refund and callback transactions; then a full rebuild runs. Every expectation below is computed here, in C#, from
/// the traits, never read back from what the API computed.
/// </summary>
[NonParallelizable, Order(1)] // first: the only buyers in the database when its RFM is measured
public sealed class AudiencePopulationTests
{
    static ApiFactory Api => AudienceEnvironment.Api;

    /// <summary>One member's traits. Orders are (price, tea?) pairs; Refund applies to the first order of the phase it names.</summary>
    public sealed record Spec(string Name, bool Oa = false, string? Follow = null, bool Unfollow = false, bool Message = false,
        (long Fen, bool Tea)[]? Old = null, (long Fen, bool Tea)[]? New = null, long RefundNewFirst = 0)
    {
        public (long Fen, bool Tea)[] OldOrders => Old ?? [];
        public (long Fen, bool Tea)[] NewOrders => New ?? [];
        public bool FullRefund => RefundNewFirst > 0 && RefundNewFirst == NewOrders[0].Fen;
        public IEnumerable<(long Fen, bool Tea, bool IsNew)> Counted =>
            OldOrders.Select(o => (Fen: o.Fen, Tea: o.Tea, IsNew: false))
                .Concat(NewOrders.Select((o, i) => (Fen: o.Fen - (i == 0 ? RefundNewFirst : 0), Tea: o.Tea, IsNew: true)))
                .Where(o => !(FullRefund && o.IsNew && o.Fen == 0));
        public int PaidOrders => Counted.Count();
        public long NetSpend => Counted.Sum(o => o.Fen);
        public long NewSpend => Counted.Where(o => o.IsNew).Sum(o => o.Fen);
        public bool Following => Follow is not null && !Unfollow;
        public int? Days => PaidOrders == 0 ? null : Counted.Any(o => o.IsNew) ? 0 : 60;
    }

    const string Followed = "";   // Follow = "" : followed without a QR code
    static readonly Spec[] Population =
    [
        new("m01"),
        new("m02", Oa: true, Follow: "s1", Message: true),
        new("m03", Old: [(10_000, true)]),
        new("m04", Old: [(50_000, true), (30_000, false)]),
        new("m05", New: [(20_000, false)]),
        new("m06", Oa: true, Follow: "s2", New: [(80_000, true), (40_000, true), (10_000, false)]),
        new("m07", Oa: true, Follow: "s1", Old: [(20_000, true)], New: [(20_000, true)]),
        new("m08", New: [(60_000, false)], RefundNewFirst: 20_000),
        new("m09", New: [(30_000, true)], RefundNewFirst: 30_000),
        new("m10", Oa: true, Follow: "s2", Unfollow: true, New: [(15_000, true)]),
        new("m11", Old: [(100_000, false)]),
        new("m12", Oa: true, Follow: Followed, Message: true, New: [(5_000, true)]),
        new("m13", Old: [(25_000, true), (25_000, true), (25_000, false)]),
        new("m14", Oa: true, Follow: "s2"),
        new("m15", New: [(120_000, true)]),
        new("m16", Old: [(8_000, false)], New: [(8_000, false)]),
        new("m17", Old: [(9_000, false)], New: [(7_000, true), (6_000, false)]),
        new("m18", Old: [(4_000, true)], New: [(1_000, true), (2_000, false), (3_000, true), (4_000, false), (5_000, true)]),
    ];

    static readonly Dictionary<string, Buyer> Members = [];
    static long popTag, teaCategory, coffeeCategory;
    static List<StatsRow> incremental = [], rebuilt = [];

    [OneTimeSetUp]
    public async Task BuildAsync()
    {
        var tea = await NewProductAsync(1);
        var coffee = await NewProductAsync(1);
        (teaCategory, coffeeCategory) = (tea.CategoryId, coffee.CategoryId);
        var skus = new Dictionary<(long, bool), long>();
        async Task<long> Sku(long fen, bool isTea)
        {
            if (!skus.TryGetValue((fen, isTea), out var sku))
                skus[(fen, isTea)] = sku = (await NewProductAsync(fen, isTea ? teaCategory : coffeeCategory)).SkuId;
            return sku;
        }
        foreach (var s in Population) Members[s.Name] = await NewMemberAsync(s.Oa);

        // Two months ago: the old orders.
        foreach (var s in Population)
            foreach (var (fen, isTea) in s.OldOrders) await BuyAsync(Members[s.Name], await Sku(fen, isTea));
        await AudienceEnvironment.Clock.JumpAsync(TimeSpan.FromDays(60));

        // Now: follows, five minutes later messages (so only a message keeps the 48 h window open), then orders and refunds.
        foreach (var s in Population.Where(s => s.Follow is not null))
            await FollowAsync(Members[s.Name].OaOpenId!, s.Follow == Followed ? null : s.Follow);
        foreach (var s in Population.Where(s => s.Unfollow)) await UnfollowAsync(Members[s.Name].OaOpenId!);
        await Api.DrainCallbackEventsAsync();
        await AudienceEnvironment.Clock.JumpAsync(TimeSpan.FromMinutes(5));
        foreach (var s in Population.Where(s => s.Message)) await WriteAsync(Members[s.Name].OaOpenId!, "hello");
        await Api.DrainCallbackEventsAsync();
        foreach (var s in Population)
            for (var i = 0; i < s.NewOrders.Length; i++)
            {
                var orderNo = await BuyAsync(Members[s.Name], await Sku(s.NewOrders[i].Fen, s.NewOrders[i].Tea));
                if (i == 0 && s.RefundNewFirst > 0) await RefundAsync(orderNo, s.RefundNewFirst);
            }

        using var admin = Api.CreateAdminClient();
        var tag = await ReadAsync(await admin.PostAsJsonAsync("/admin/tags", new { name = "pop-" + Guid.NewGuid().ToString("N")[..8] }));
        popTag = tag.GetProperty("id").GetInt64();
        foreach (var m in Members.Values)
        {
            var added = await admin.PostAsJsonAsync($"/admin/members/{m.MemberId}/tags", new { tagId = popTag });
            Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await added.Content.ReadAsStringAsync());
        }

        incremental = await StatsAsync();
        await RebuildAsync(admin);
        rebuilt = await StatsAsync();
    }

    public static async Task RebuildAsync(HttpClient admin)
    {
        var started = await admin.PostAsync("/admin/audience/rebuilds", null);
        Assert.That(started.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await started.Content.ReadAsStringAsync());
        var id = (await ReadAsync(started)).GetProperty("id").GetInt64();
        var status = await Eventually.MatchAsync(async () => (await ReadAsync(await admin.GetAsync($"/admin/audience/rebuilds/{id}"))).GetProperty("status").GetString(),
            s => s != "running", 60_000);
        Assert.That(status, Is.EqualTo("succeeded"));
    }

    sealed record StatsRow
    {
        public long MemberId { get; init; }
        public DateTime? FirstPaidAt { get; init; }
        public DateTime? LastPaidAt { get; init; }
        public int PaidOrders { get; init; }
        public long NetSpendFen { get; init; }
        public long AvgOrderFen { get; init; }
        public string? FirstChannel { get; init; }
        public bool Following { get; init; }
        public DateTime? LastInteractionAt { get; init; }
        public DateTime? WindowUntil { get; init; }
        public string? RfmGroup { get; init; }
        public int RScore { get; init; }
        public int FScore { get; init; }
        public int MScore { get; init; }
    }

    static async Task<List<StatsRow>> StatsAsync() => (await Api.QueryAsync<StatsRow>("""
        SELECT member_id AS MemberId, first_paid_at AS FirstPaidAt, last_paid_at AS LastPaidAt, paid_orders AS PaidOrders,
               net_spend_fen AS NetSpendFen, avg_order_fen AS AvgOrderFen, first_channel AS FirstChannel, following AS Following,
               last_interaction_at AS LastInteractionAt, window_until AS WindowUntil, rfm_group AS RfmGroup,
               r_score AS RScore, f_score AS FScore, m_score AS MScore
        FROM member_stats WHERE member_id IN @ids ORDER BY member_id
        """, new { ids = Members.Values.Select(m => m.MemberId).ToList() })).ToList();

    static long Id(string name) => Members[name].MemberId;

    [Test, Order(1)]
    public void KeptStats_EqualTheTraits_AndTheRebuild()
    {
        var expected = Population.Select(s => new
        {
            s.Name, s.PaidOrders, s.NetSpend, Avg = s.PaidOrders == 0 ? 0 : s.NetSpend / s.PaidOrders, s.Following,
            Channel = string.IsNullOrEmpty(s.Follow) ? null : s.Follow, Window = s.Message, Interacted = s.Follow is not null || s.Message,
        }).ToList();
        var kept = incremental.ToDictionary(r => r.MemberId);
        Assert.Multiple(() =>
        {
            Assert.That(incremental, Has.Count.EqualTo(Population.Length), "one stats row per member");
            Assert.That(expected.Select(e => (e.Name, kept[Id(e.Name)].PaidOrders, kept[Id(e.Name)].NetSpendFen, kept[Id(e.Name)].AvgOrderFen,
                    kept[Id(e.Name)].Following, kept[Id(e.Name)].FirstChannel, kept[Id(e.Name)].WindowUntil > AudienceEnvironment.Clock.GetUtcNow().UtcDateTime,
                    kept[Id(e.Name)].LastInteractionAt is not null)),
                Is.EqualTo(expected.Select(e => (e.Name, e.PaidOrders, e.NetSpend, e.Avg, e.Following, e.Channel, e.Window, e.Interacted))));
            Assert.That(rebuilt.Select(r => r with { RfmGroup = null, RScore = 0, FScore = 0, MScore = 0 }),
                Is.EqualTo(incremental.Select(r => r with { RfmGroup = null, RScore = 0, FScore = 0, MScore = 0 })),
                "a rebuild from the source tables gives exactly what the transactions kept");
        });
    }

    // Each case: a rule (ANDed with the population's tag by the test) and the members it must hold, by their traits.
    static IEnumerable<TestCaseData> Rules()
    {
        TestCaseData Case(string name, object rule, Func<Spec, bool> expected) => new TestCaseData(rule, expected).SetName($"Segment_{name}_CountsTheMembersThatMatch");
        yield return Case("TwoOrMoreOrders", new { field = "paidOrders", op = ">=", value = 2 }, s => s.PaidOrders >= 2);
        yield return Case("NetSpendAtLeast500Yuan", new { field = "netSpendFen", op = ">=", value = 50_000 }, s => s.NetSpend >= 50_000);
        yield return Case("Spent200YuanIn30Days", new { field = "spendWithin", days = 30, op = ">=", value = 20_000 }, s => s.NewSpend >= 20_000);
        yield return Case("OrderedIn30Days", new { field = "ordersWithin", days = 30, op = ">=", value = 1 }, s => s.Counted.Any(o => o.IsNew));
        // Conditions that members without an order in the window meet (they hold 0) take the other way through the SQL.
        yield return Case("NoOrderIn30Days", new { field = "ordersWithin", days = 30, op = "=", value = 0 }, s => !s.Counted.Any(o => o.IsNew));
        yield return Case("SpentUnder200YuanIn30Days", new { field = "spendWithin", days = 30, op = "between", value = new[] { 0, 19_999 } },
            s => s.NewSpend < 20_000);
        yield return Case("BoughtCoffee", new { field = "boughtCategory", op = "in", value = new[] { 0L } }, s => s.Counted.Any(o => !o.Tea));
        yield return Case("FollowingOrFromS1", new { any = new object[] { new { field = "following", op = "=", value = true }, new { field = "channel", op = "=", value = "s1" } } },
            s => s.Following || s.Follow == "s1");
        yield return Case("TeaButNotRecently", new
        {
            all = new object[] { new { field = "boughtCategory", op = "in", value = new[] { 1L } }, new { not = new { field = "lastPurchaseAt", op = "withinDays", value = 30 } } },
        }, s => s.Counted.Any(o => o.Tea) && !s.Counted.Any(o => o.IsNew));
        yield return Case("WindowOpen", new { field = "windowOpen", op = "=", value = true }, s => s.Message);
        yield return Case("NeverBought", new { field = "lastPurchaseAt", op = "isNull" }, s => s.PaidOrders == 0);
        yield return Case("NeitherBuyerNorFollower", new { none = new object[] { new { field = "paidOrders", op = ">=", value = 1 }, new { field = "following", op = "=", value = true } } },
            s => s.PaidOrders == 0 && !s.Following);
        yield return Case("InteractedWithinAnHour", new { field = "lastInteraction", op = "withinHours", value = 1 }, s => s.Follow is not null || s.Message);
        // Order counts in the window (0 to 5 here) by every operator: up to 4 they compare the member's most recent orders'
        // times, beyond that the count itself (read from the orders for members with five or more in the window: m18).
        static int InWindow(Spec s) => s.Counted.Count(o => o.IsNew);
        foreach (var v in new[] { 0, 1, 2, 3, 4, 5, 6, 7 })
        {
            yield return Case($"OrdersIn30Days_AtLeast{v}", new { field = "ordersWithin", days = 30, op = ">=", value = v }, s => InWindow(s) >= v);
            yield return Case($"OrdersIn30Days_MoreThan{v}", new { field = "ordersWithin", days = 30, op = ">", value = v }, s => InWindow(s) > v);
            yield return Case($"OrdersIn30Days_Under{v}", new { field = "ordersWithin", days = 30, op = "<", value = v }, s => InWindow(s) < v);
            yield return Case($"OrdersIn30Days_AtMost{v}", new { field = "ordersWithin", days = 30, op = "<=", value = v }, s => InWindow(s) <= v);
            yield return Case($"OrdersIn30Days_Exactly{v}", new { field = "ordersWithin", days = 30, op = "=", value = v }, s => InWindow(s) == v);
            yield return Case($"OrdersIn30Days_Not{v}", new { field = "ordersWithin", days = 30, op = "!=", value = v }, s => InWindow(s) != v);
        }
        // Spend in the window: from the kept net spend of the latest one to three orders, or (m18, five) from the orders
        // unless its latest three (12,000) already exceed the value or all its orders (19,000) stay below it (then the
        // comparison cannot turn on the rest).
        foreach (var v in new[] { 0, 1, 6_000, 12_000, 13_000, 15_000, 19_000, 20_000, 100_000 })
        {
            yield return Case($"SpendIn30Days_AtLeast{v}", new { field = "spendWithin", days = 30, op = ">=", value = v }, s => s.NewSpend >= v);
            yield return Case($"SpendIn30Days_Under{v}", new { field = "spendWithin", days = 30, op = "<", value = v }, s => s.NewSpend < v);
            yield return Case($"SpendIn30Days_Exactly{v}", new { field = "spendWithin", days = 30, op = "=", value = v }, s => s.NewSpend == v);
        }
        foreach (var (low, high) in new[] { (1, 12_000), (13_000, 15_000), (12_001, 14_999), (16_000, 19_500) })
            yield return Case($"SpendIn30Days_Between{low}And{high}",
                new { field = "spendWithin", days = 30, op = "between", value = new[] { low, high } }, s => s.NewSpend >= low && s.NewSpend <= high);
        foreach (var (low, high) in new[] { (1, 2), (2, 3), (0, 0), (3, 5), (-1, 1) })
            yield return Case($"OrdersIn30Days_Between{low}And{high}".Replace("-", "Minus", StringComparison.Ordinal),
                new { field = "ordersWithin", days = 30, op = "between", value = new[] { low, high } }, s => InWindow(s) >= low && InWindow(s) <= high);
    }

    [TestCaseSource(nameof(Rules)), Order(3)]
    public async Task Segment_CountsAndPreviewsTheMembersThatMatch(object rule, Func<Spec, bool> expected)
    {
        // Categories are only known once the population exists: 0 stands for coffee, 1 for tea.
        var json = JsonSerializer.Serialize(rule).Replace("[0]", $"[{coffeeCategory}]", StringComparison.Ordinal).Replace("[1]", $"[{teaCategory}]", StringComparison.Ordinal);
        var scoped = new JsonObject { ["all"] = new JsonArray(new JsonObject { ["field"] = "tag", ["op"] = "in", ["value"] = new JsonArray(popTag) }, JsonNode.Parse(json)) };
        var want = Population.Where(expected).Select(s => Id(s.Name)).Order().ToList();
        using var admin = Api.CreateAdminClient();

        var count = await admin.PostAsJsonAsync("/admin/segments/count", new { rule = scoped });
        var countBody = await ReadAsync(count);
        var pages = new List<long>();
        long? after = 0;
        while (after is not null)
        {
            var page = await ReadAsync(await admin.PostAsJsonAsync("/admin/segments/preview", new { rule = scoped, afterId = after, limit = 3 }));
            pages.AddRange(page.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("memberId").GetInt64()));
            after = page.GetProperty("nextAfterId").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextAfterId").GetInt64();
        }

        Assert.Multiple(() =>
        {
            Assert.That(count.StatusCode, Is.EqualTo(HttpStatusCode.OK), countBody.ToString());
            Assert.That(countBody.GetProperty("count").GetInt64(), Is.EqualTo(want.Count));
            Assert.That(pages, Is.EqualTo(want), "keyset pages of 3 hold exactly the matching members, in id order");
        });
    }

    [Test, Order(2)]
    public async Task Rfm_GroupsAndScores_FollowTheAveragesAndQuintilesOfTheBuyers()
    {
        var buyers = Population.Where(s => s.PaidOrders > 0).ToList();
        double avgR = buyers.Average(s => s.Days!.Value), avgF = buyers.Average(s => s.PaidOrders), avgM = buyers.Average(s => s.NetSpend);
        string Group(Spec s) => ((s.Days < avgR), (s.PaidOrders > avgF), (s.NetSpend > avgM)) switch
        {
            (true, true, true) => "important_value",
            (false, true, true) => "important_keep",
            (true, false, true) => "important_develop",
            (false, false, true) => "important_retain",
            (true, true, false) => "general_value",
            (false, true, false) => "general_keep",
            (true, false, false) => "general_develop",
            (false, false, false) => "general_retain",
        };
        // Quintile cut points: the values at 20/40/60/80 % of buyers in ascending order (R: days).
        double[] Cuts(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return [.. new[] { 0.2, 0.4, 0.6, 0.8 }.Select(q => sorted[(int)Math.Floor(sorted.Length * q)])];
        }
        var rCuts = Cuts(buyers.Select(s => (double)s.Days!.Value));
        var fCuts = Cuts(buyers.Select(s => (double)s.PaidOrders));
        var mCuts = Cuts(buyers.Select(s => (double)s.NetSpend));
        var expected = Population.Select(s => s.PaidOrders == 0 ? (s.Name, (string?)null, 0, 0, 0)
            : (s.Name, Group(s), 1 + rCuts.Count(c => s.Days < c), 1 + fCuts.Count(c => s.PaidOrders > c), 1 + mCuts.Count(c => s.NetSpend > c))).ToList();
        var stored = rebuilt.ToDictionary(r => r.MemberId);

        using var admin = Api.CreateAdminClient();
        var distribution = await ReadAsync(await admin.GetAsync("/admin/audience/rfm/distribution"));
        var keep = await ReadAsync(await admin.PostAsJsonAsync("/admin/segments/count", new
        {
            rule = new { all = new object[] { new { field = "tag", op = "in", value = new[] { popTag } }, new { field = "rfmGroup", op = "in", value = new[] { "重要保持", "important_value" } } } },
        }));

        Assert.Multiple(() =>
        {
            Assert.That(Population.Select(s => (s.Name, stored[Id(s.Name)].RfmGroup, stored[Id(s.Name)].RScore, stored[Id(s.Name)].FScore, stored[Id(s.Name)].MScore)),
                Is.EqualTo(expected));
            Assert.That(distribution.GetProperty("buyers").GetInt64(), Is.EqualTo(buyers.Count));
            Assert.That(distribution.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("group").GetString()!, g => g.GetProperty("members").GetInt64()),
                Is.EquivalentTo(expected.Where(e => e.Item2 is not null).GroupBy(e => e.Item2!).ToDictionary(g => g.Key, g => (long)g.Count())
                    .Concat(new[] { "important_value", "important_keep", "important_develop", "important_retain", "general_value", "general_keep", "general_develop", "general_retain" }
                        .Where(g => expected.All(e => e.Item2 != g)).Select(g => KeyValuePair.Create(g, 0L)))));
            Assert.That(keep.GetProperty("count").GetInt64(), Is.EqualTo(expected.Count(e => e.Item2 is "important_keep" or "important_value")));
        });
    }

    // Last: it changes m05's spend.
    [Test, Order(4)]
    public async Task RuleTag_HoldsTheMatchingMembers_AndFollowsANewPayment()
    {
        using var admin = Api.CreateAdminClient();
        var created = await admin.PostAsJsonAsync("/admin/tags", new
        {
            name = "big-" + Guid.NewGuid().ToString("N")[..8], rule = new { field = "netSpendFen", op = ">=", value = 50_000 },
        });
        var tag = await ReadAsync(created);
        var tagId = tag.GetProperty("id").GetInt64();
        Task<List<long>> HoldersAsync() => Api.QueryAsync<long>("SELECT member_id FROM member_tags WHERE tag_id = @tagId AND member_id IN @ids ORDER BY member_id",
            new { tagId, ids = Members.Values.Select(m => m.MemberId).ToList() }).ContinueWith(t => t.Result.ToList(), TaskScheduler.Default);
        var before = await HoldersAsync();
        // m05 (200 yuan so far) buys for 400 more: the payment's transaction puts the rule tag on.
        await BuyAsync(Members["m05"], (await NewProductAsync(40_000, coffeeCategory)).SkuId);
        var after = await HoldersAsync();

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), tag.ToString());
            Assert.That(before, Is.EqualTo(Population.Where(s => s.NetSpend >= 50_000).Select(s => Id(s.Name)).Order()));
            Assert.That(after, Is.EqualTo(before.Append(Id("m05")).Order()));
        });
    }
}
