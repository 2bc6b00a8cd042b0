using System.Globalization;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Metrics.MetricsTestData;

namespace WeChatMall.Api.Tests.Features.Metrics;

/// <summary>
/// The repurchase rate of periods that ended before today (read from metrics_repurchase_cells) against buyers and
/// repeat buyers counted here from the orders themselves, for every period inside three weeks of June 2025: a seeded
/// population of buyers with one to seven orders, two in a day, orders refunded in full (not a purchase) and in part
/// (still one), near China midnight. Then after an incremental pass that moved buyers' previous and next buyer-days.
/// </summary>
public sealed class MetricsClosedPeriodRepurchaseTests
{
    sealed record Order(long Id, long Member, DateTime PaidUtc, long Payable, long Refunded);

    static readonly DateOnly First = new(2025, 5, 31), Last = new(2025, 6, 21);

    [Test]
    public async Task EveryPeriodBeforeToday_GivesTheBuyersAndRepeatBuyersOfItsOrders_AfterARebuildAndAfterAnIncrementalPass()
    {
        await using var api = await StartAsync();
        var random = new Random(20251207);
        var orders = new List<Order>();
        for (var i = 0; i < 40; i++)
        {
            var member = await api.ScalarAsync<long>("""
                INSERT INTO members (invite_code, created_at, updated_at) VALUES (LEFT(REPLACE(UUID(), '-', ''), 12), @at, @at);
                SELECT LAST_INSERT_ID();
                """, new { at = China("2025-05-01 10:00") });
            for (var n = random.Next(1, 8); n > 0; n--)
            {
                // China days 1–20 June, often at 23:xx or 00:xx; a third of them refunded in full or in part.
                var day = new DateTime(2025, 6, random.Next(1, 21), random.Next(2) == 0 ? 23 : random.Next(0, 2), random.Next(60), 0);
                long payable = 1_000 * random.Next(1, 10);
                var refunded = random.Next(6) switch { 0 => payable, 1 => payable / 2, _ => 0 };
                orders.Add(await AddAsync(api, member, day, payable, refunded));
            }
        }
        await PostAsync(api, "/admin/metrics/rebuild");
        var afterRebuild = await MismatchesAsync(api, orders);

        // An incremental pass: one buyer refunds an order in full, another buys on a day between two of theirs.
        var june10 = new DateOnly(2025, 6, 10);
        var between = orders.Where(o => o.Refunded < o.Payable).GroupBy(o => o.Member)
            .First(g => g.Any(o => ChinaDay(o.PaidUtc) < june10) && g.Any(o => ChinaDay(o.PaidUtc) > june10) && g.All(o => ChinaDay(o.PaidUtc) != june10)).Key;
        var refundedNow = orders.First(o => o.Refunded == 0 && o.Member != between);
        await api.ScalarAsync<int>("UPDATE orders SET refunded_fen = payable_fen, refund_state = 'refunded', updated_at = UTC_TIMESTAMP(3) WHERE id = @Id",
            refundedNow);
        orders[orders.IndexOf(refundedNow)] = refundedNow with { Refunded = refundedNow.Payable };
        orders.Add(await AddAsync(api, between, new DateTime(2025, 6, 10, 12, 0, 0), 3_000, 0, updatedNow: true));
        var refreshed = await PostAsync(api, "/admin/metrics/refresh");
        var afterPass = await MismatchesAsync(api, orders);

        Assert.Multiple(() =>
        {
            Assert.That(orders.Select(o => o.Member).Distinct().Count(), Is.EqualTo(40));
            Assert.That(orders.Where(o => o.Refunded < o.Payable).GroupBy(o => (o.Member, ChinaDay(o.PaidUtc))).Count(g => g.Count() >= 2), Is.GreaterThan(3),
                "the population has buyers with two purchases in a day");
            Assert.That(afterRebuild, Is.Empty, "after a rebuild: (from, to) expected (buyers, repeat) got (buyers, repeat)");
            Assert.That(refreshed.GetProperty("buyers").GetInt32(), Is.EqualTo(2));
            Assert.That(afterPass, Is.Empty, "after an incremental pass");
        });
    }

    static async Task<Order> AddAsync(ApiFactory api, long member, DateTime china, long payable, long refunded, bool updatedNow = false)
    {
        var text = china.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var id = await OrderAsync(api, member, text, payable, refunded, updatedNow ? TimeProvider.System.GetUtcNow().UtcDateTime : null);
        return new Order(id, member, China(text), payable, refunded);
    }

    static DateOnly ChinaDay(DateTime utc) => DateOnly.FromDateTime(utc.AddHours(8));

    // Every period [from, to] with First <= from <= to <= Last: the API's answer against one counted from the orders.
    static async Task<List<string>> MismatchesAsync(ApiFactory api, IReadOnlyList<Order> orders)
    {
        var purchases = orders.Where(o => o.Refunded < o.Payable).Select(o => (o.Member, Day: ChinaDay(o.PaidUtc))).ToList();
        var mismatches = new List<string>();
        var periods = 0;
        for (var from = First; from <= Last; from = from.AddDays(1))
            for (var to = from; to <= Last; to = to.AddDays(1))
            {
                var (a, b) = (from, to);
                var perBuyer = purchases.Where(p => p.Day >= a && p.Day <= b).GroupBy(p => p.Member).Select(g => g.Count()).ToList();
                var expected = ((long)perBuyer.Count, (long)perBuyer.Count(n => n >= 2));
                var body = await GetAsync(api, $"/admin/metrics/repurchase?from={a:yyyy-MM-dd}&to={b:yyyy-MM-dd}");
                var actual = (body.GetProperty("buyers").GetInt64(), body.GetProperty("repeatBuyers").GetInt64());
                if (actual != expected) mismatches.Add($"{a:MM-dd}..{b:MM-dd} expected {expected} got {actual}");
                periods++;
            }
        Assert.That(periods, Is.EqualTo(253));
        return mismatches;
    }
}
