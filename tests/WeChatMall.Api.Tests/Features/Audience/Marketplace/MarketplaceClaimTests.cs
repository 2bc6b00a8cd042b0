using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Audience.Marketplace.MarketplaceTestData;

namespace WeChatMall.Api.Tests.Features.Audience.Marketplace;

public sealed class MarketplaceClaimTests
{
    static ApiFactory Api => MarketplaceEnvironment.Api;

    static async Task<string> ImportMaskedAsync(string phone, string amount = "66.00")
    {
        var no = NewOrderNo();
        var report = await ReportAsync(await ImportCsvAsync("tmall", TmallHeader + "\n" + TmallRow(no, phone, amount: amount)));
        Assert.That(report.GetProperty("unclaimed").GetInt32(), Is.EqualTo(1));
        return no;
    }

    [Test]
    public async Task Claim_RightLastFour_JoinsHistoryAndLoyaltyExactlyOnce()
    {
        var no = await ImportMaskedAsync("135****7788");
        using var shopper = await LoginAsync();
        using var other = await LoginAsync();

        var claimed = await ClaimAsync(shopper, no, "7788");
        var again = await ClaimAsync(shopper, no, "7788");
        var stolen = await ClaimAsync(other, no, "7788");
        var history = await ReadAsync(await shopper.Client.GetAsync("/api/me/marketplace-orders"));
        var id = await Api.ScalarAsync<long>("SELECT id FROM marketplace_orders WHERE order_no = @no", new { no });

        Assert.Multiple(async () =>
        {
            Assert.That((int)claimed.StatusCode, Is.EqualTo(200), await claimed.Content.ReadAsStringAsync());
            Assert.That((await ReadAsync(claimed)).GetProperty("countedForLoyalty").GetBoolean(), Is.True);
            Assert.That((int)again.StatusCode, Is.EqualTo(409));
            Assert.That(Code(await ReadAsync(again)), Is.EqualTo("MARKETPLACE_ORDER_ALREADY_YOURS"));
            Assert.That((int)stolen.StatusCode, Is.EqualTo(409));
            Assert.That(Code(await ReadAsync(stolen)), Is.EqualTo("MARKETPLACE_ORDER_CLAIMED"));
            Assert.That(history.EnumerateArray().Single().GetProperty("link").GetString(), Is.EqualTo("claimed"));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM loyalty_effects WHERE effect_key = @key", new { key = $"paid:mkt-{id}" }),
                Is.EqualTo(1));
            Assert.That(await Api.ScalarAsync<long>("SELECT lifetime_spend_fen FROM members WHERE id = @id", new { id = shopper.MemberId }),
                Is.EqualTo(6_600));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @id", new { id = other.MemberId }), Is.EqualTo(0));
            Assert.That(await Api.ScalarAsync<bool>("SELECT marketplace_customer FROM member_stats WHERE member_id = @id", new { id = shopper.MemberId }), Is.True);
            Assert.That(await Api.ScalarAsync<bool?>("SELECT marketplace_customer FROM member_stats WHERE member_id = @id", new { id = other.MemberId }),
                Is.Not.True);
        });
    }

    [Test]
    public async Task Claim_WrongLastFour_IsRefusedCountedAndThenLimited()
    {
        var no = await ImportMaskedAsync("137****2580");
        using var guesser = await LoginAsync();
        using var owner = await LoginAsync();

        var failures = new List<HttpResponseMessage>();
        for (var i = 0; i < MarketplaceEnvironment.ClaimFailures; i++) failures.Add(await ClaimAsync(guesser, no, (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var rightButThrottled = await ClaimAsync(guesser, no, "2580");
        var ownerClaim = await ClaimAsync(owner, no, "2580");

        Assert.Multiple(async () =>
        {
            foreach (var f in failures)
            {
                Assert.That((int)f.StatusCode, Is.EqualTo(404));
                Assert.That(Code(await ReadAsync(f)), Is.EqualTo("MARKETPLACE_ORDER_NOT_FOUND"));
            }
            Assert.That((int)rightButThrottled.StatusCode, Is.EqualTo(429));
            Assert.That(Code(await ReadAsync(rightButThrottled)), Is.EqualTo("MARKETPLACE_CLAIM_RATE_LIMITED"));
            Assert.That(rightButThrottled.Headers.RetryAfter, Is.Not.Null);
            Assert.That((int)ownerClaim.StatusCode, Is.EqualTo(200), "another member is not limited by the guesser's failures");
            Assert.That(await Api.ScalarAsync<long?>("SELECT member_id FROM marketplace_orders WHERE order_no = @no", new { no }), Is.EqualTo(owner.MemberId));
        });
    }
}
