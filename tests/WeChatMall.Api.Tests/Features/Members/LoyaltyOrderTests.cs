using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dapper;
using WeChatMall.Api.Features.Loyalty;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.LoyaltyTestData;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;

namespace WeChatMall.Api.Tests.Features.Members;

/// <summary>Earning, tiers and redemption through ILoyalty, as Orders and Payments call it (inside their transaction).</summary>
[NonParallelizable] // creates tiers, which apply to every member of the shared members database
public sealed class LoyaltyOrderTests
{
    static ApiFactory Api => MembersEnvironment.Api;
    // The sibling namespace Features.Loyalty would otherwise win over LoyaltyTestData.Loyalty.
    static ILoyalty Loyalty => LoyaltyTestData.Loyalty;

    [Test]
    public async Task OnOrderPaid_EarnsPerYuanPlusFirstOrderBonusOnce_AndTwiceChangesNothing()
    {
        using var member = await LoginAsync();
        var orderNo = NewOrderNo();

        var first = await PayAsync(member.MemberId, 12_345, orderNo);
        var again = await PayAsync(member.MemberId, 12_345, orderNo);
        var second = await PayAsync(member.MemberId, 5_000);

        Assert.Multiple(async () =>
        {
            Assert.That(first.PointsEarned, Is.EqualTo(123), "1 point per whole yuan of 123.45");
            Assert.That(again, Is.EqualTo(first), "the second call answers with what the first did");
            Assert.That(second.PointsEarned, Is.EqualTo(50));
            Assert.That(await BalanceAsync(member.MemberId), Is.EqualTo(123 + FirstOrderBonus + 50), "the bonus is paid on the first order only");
            Assert.That(await LedgerSumAsync(member.MemberId), Is.EqualTo(await BalanceAsync(member.MemberId)));
            Assert.That(await Api.ScalarAsync<long>("SELECT lifetime_spend_fen FROM members WHERE id = @id", new { id = member.MemberId }), Is.EqualTo(17_345));
        });
    }

    [Test]
    public async Task OnOrderPaid_ReachingSpendThreshold_UpgradesTier_ThenMultiplierAndDiscountApply_AndMeShowsIt()
    {
        using var admin = Api.CreateAdminClient();
        var code = "gold" + Guid.NewGuid().ToString("N")[..6];
        var created = await admin.PostAsJsonAsync("/admin/tiers", new
        {
            code, name = "Gold", rank = 500, minSpendFen = 1_000_000, discountBasisPoints = 500, pointsMultiplierPercent = 200,
        });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var tierId = (await ReadAsync(created)).GetProperty("id").GetInt64();
        try
        {
            using var member = await LoginAsync();
            var below = await PayAsync(member.MemberId, 999_900);
            var reaching = await PayAsync(member.MemberId, 100);
            var after = await PayAsync(member.MemberId, 10_000);
            var benefits = await InTransactionAsync((c, tx) => Loyalty.GetBenefitsAsync(c, tx, member.MemberId, CancellationToken.None));
            var me = await ReadAsync(await member.Client.GetAsync("/api/me"));

            Assert.Multiple(() =>
            {
                Assert.That(below.NewTierCode, Is.Null);
                Assert.That(reaching.NewTierCode, Is.EqualTo(code), "lifetime spend 1,000,000 fen reaches the tier");
                Assert.That(after.NewTierCode, Is.Null, "already there");
                Assert.That(after.PointsEarned, Is.EqualTo(200), "100 yuan × 2 in the tier");
                Assert.That(benefits.DiscountBasisPoints, Is.EqualTo(500));
                Assert.That(benefits.DiscountOn(10_000), Is.EqualTo(500));
                var tier = me.GetProperty("loyalty").GetProperty("tier");
                Assert.That(tier.GetProperty("code").GetString(), Is.EqualTo(code));
                Assert.That(tier.GetProperty("discountBasisPoints").GetInt32(), Is.EqualTo(500));
                Assert.That(tier.GetProperty("lifetimeSpendFen").GetInt64(), Is.EqualTo(1_010_000));
                Assert.That(me.GetProperty("tier").GetString(), Is.EqualTo(code));
            });

            // A refund lowers lifetime spend, and the tier follows it down (1,010,000 − 500,000 is below the threshold).
            await InTransactionAsync(async (c, tx) =>
            {
                await Loyalty.OnOrderRefundedAsync(c, tx, new RefundedOrder("x", "R" + Guid.NewGuid().ToString("N")[..12], member.MemberId, 500_000, 999_900, DateTime.UtcNow, false), CancellationToken.None);
                return 0;
            });
            Assert.That(await Api.ScalarAsync<string?>("SELECT tier FROM members WHERE id = @id", new { id = member.MemberId }), Is.Null);
        }
        finally
        {
            await admin.DeleteAsync($"/admin/tiers/{tierId}");
        }
    }

    [Test]
    public async Task MeShowsProgressToNextTier_AndInviteLink()
    {
        using var admin = Api.CreateAdminClient();
        var code = "silver" + Guid.NewGuid().ToString("N")[..6];
        var created = await admin.PostAsJsonAsync("/admin/tiers", new { code, name = "Silver", rank = 400, minSpendFen = 900_000, minPointsEarned = 90_000 });
        var tierId = (await ReadAsync(created)).GetProperty("id").GetInt64();
        try
        {
            using var member = await LoginAsync();
            await PayAsync(member.MemberId, 100_000);
            var loyalty = (await ReadAsync(await member.Client.GetAsync("/api/me"))).GetProperty("loyalty");
            var next = loyalty.GetProperty("tier").GetProperty("next");
            Assert.Multiple(() =>
            {
                Assert.That(next.GetProperty("code").GetString(), Is.EqualTo(code));
                Assert.That(next.GetProperty("spendFenToGo").GetInt64(), Is.EqualTo(800_000));
                Assert.That(next.GetProperty("pointsToGo").GetInt64(), Is.EqualTo(90_000 - 1000 - FirstOrderBonus));
                Assert.That(loyalty.GetProperty("inviteLink").GetString(), Is.EqualTo($"{InviteBaseUrl}?invite={loyalty.GetProperty("inviteCode").GetString()}"));
            });
        }
        finally
        {
            await admin.DeleteAsync($"/admin/tiers/{tierId}");
        }
    }

    [Test]
    public async Task TierAdmin_Validation_Conflicts_NotFound()
    {
        using var admin = Api.CreateAdminClient();
        var code = "t" + Guid.NewGuid().ToString("N")[..8];
        var noThreshold = await admin.PostAsJsonAsync("/admin/tiers", new { code, name = "X", rank = 301 });
        var badDiscount = await admin.PostAsJsonAsync("/admin/tiers", new { code, name = "X", rank = 301, minSpendFen = 1, discountBasisPoints = 9000 });
        var ok = await admin.PostAsJsonAsync("/admin/tiers", new { code, name = "X", rank = 301, minSpendFen = 5_000_000 });
        var id = (await ReadAsync(ok)).GetProperty("id").GetInt64();
        var sameCode = await admin.PostAsJsonAsync("/admin/tiers", new { code, name = "Y", rank = 302, minSpendFen = 1 });
        var sameRank = await admin.PostAsJsonAsync("/admin/tiers", new { code = code + "b", name = "Y", rank = 301, minSpendFen = 1 });
        var updated = await admin.PutAsJsonAsync($"/admin/tiers/{id}", new { code, name = "Renamed", rank = 301, minSpendFen = 6_000_000 });
        var missing = await admin.PutAsJsonAsync("/admin/tiers/987654321", new { code = "zz", name = "Z", rank = 999, minSpendFen = 1 });
        var deleted = await admin.DeleteAsync($"/admin/tiers/{id}");
        var deletedAgain = await admin.DeleteAsync($"/admin/tiers/{id}");
        using var anonymous = Api.CreateClient();

        Assert.Multiple(async () =>
        {
            Assert.That(noThreshold.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(badDiscount.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(sameCode.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await ReadAsync(sameCode)).GetProperty("code").GetString(), Is.EqualTo("TIER_CODE_TAKEN"));
            Assert.That((await ReadAsync(sameRank)).GetProperty("code").GetString(), Is.EqualTo("TIER_RANK_TAKEN"));
            Assert.That((await ReadAsync(updated)).GetProperty("name").GetString(), Is.EqualTo("Renamed"));
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(deletedAgain.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await anonymous.GetAsync("/admin/tiers")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task TwentyConcurrentRedeems_ThreeSucceedInTurn_LotsMatchBalance()
    {
        using var member = await LoginAsync();
        await AdjustAsync(member.MemberId, 100);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => InTransactionAsync((c, tx) =>
            Loyalty.RedeemAsync(c, tx, member.MemberId, 30, NewOrderNo(), DateTime.UtcNow, CancellationToken.None))));

        Assert.Multiple(async () =>
        {
            Assert.That(results.Count(r => r is PointsPosted { Duplicate: false }), Is.EqualTo(3));
            Assert.That(results.Count(r => r is InsufficientPoints), Is.EqualTo(17));
            Assert.That(await BalanceAsync(member.MemberId), Is.EqualTo(10));
            Assert.That(await LedgerSumAsync(member.MemberId), Is.EqualTo(10));
            Assert.That(await LotsSumAsync(member.MemberId), Is.EqualTo(10));
            Assert.That(await Api.QueryAsync<long>("SELECT balance_after FROM points_ledger WHERE member_id = @id ORDER BY id", new { id = member.MemberId }),
                Is.EqualTo(new long[] { 100, 70, 40, 10 }), "each redeem saw the balance the one before left");
        });
    }

    [Test]
    public async Task Refund_ReversesEarnedPointsInProportion_Once()
    {
        using var member = await LoginAsync();
        var orderNo = NewOrderNo();
        await PayAsync(member.MemberId, 20_000, orderNo); // 200 + bonus
        var refund = new RefundedOrder(orderNo, "R" + Guid.NewGuid().ToString("N")[..12], member.MemberId, 5_000, 20_000, DateTime.UtcNow, false);

        foreach (var _ in Enumerable.Range(0, 2))
            await InTransactionAsync(async (c, tx) => { await Loyalty.OnOrderRefundedAsync(c, tx, refund, CancellationToken.None); return 0; });

        Assert.Multiple(async () =>
        {
            Assert.That(await BalanceAsync(member.MemberId), Is.EqualTo(200 + FirstOrderBonus - 50));
            Assert.That(await LedgerSumAsync(member.MemberId), Is.EqualTo(await BalanceAsync(member.MemberId)));
            Assert.That(await Api.ScalarAsync<long>("SELECT lifetime_spend_fen FROM members WHERE id = @id", new { id = member.MemberId }), Is.EqualTo(15_000));
        });
    }

    /// <summary>A category, an on-shelf product (optionally with its own points rate) and one SKU, written directly.</summary>
    static Task<long> InsertProductAsync(long priceFen, int? pointsPerYuan = null) => InTransactionAsync(async (c, tx) =>
    {
        var now = DateTime.UtcNow;
        var categoryId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO catalog_categories (name, created_at, updated_at) VALUES ('loyalty test', @now, @now); SELECT LAST_INSERT_ID();", new { now }, tx));
        var productId = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO catalog_products (category_id, title, images, on_shelf, points_per_yuan, min_price_fen, created_at, updated_at)
            VALUES (@categoryId, 'loyalty product', '[]', 1, @pointsPerYuan, @priceFen, @now, @now); SELECT LAST_INSERT_ID();
            """, new { categoryId, pointsPerYuan, priceFen, now }, tx));
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO catalog_skus (product_id, spec, spec_key, price_fen, stock, created_at, updated_at)
            VALUES (@productId, '[]', '', @priceFen, 5, @now, @now)
            """, new { productId, priceFen, now }, tx));
        return productId;
    });

    [Test]
    public async Task OnOrderPaid_ProductWithOwnRate_EarnsThatRate_OtherLinesTheStoreRate()
    {
        var tripled = await InsertProductAsync(1_000, pointsPerYuan: 3);
        using var member = await LoginAsync();

        var outcome = await PayAsync(new PaidOrder(0, NewOrderNo(), member.MemberId, 30_050,
            [new PaidLine(tripled, 10_000), new PaidLine(987_654_321, 20_050)], DateTime.UtcNow));

        Assert.That(outcome.PointsEarned, Is.EqualTo(300 + 200), "100 yuan × 3 + 200.50 yuan × 1, rounded down once");
    }

    [Test]
    public async Task ProductDetail_MemberWithTierDiscount_SeesTierPrice_OthersAndAnonymousSeeListPrice()
    {
        using var admin = Api.CreateAdminClient();
        var code = "vip" + Guid.NewGuid().ToString("N")[..6];
        var created = await admin.PostAsJsonAsync("/admin/tiers", new { code, name = "VIP", rank = 600, minSpendFen = 2_000_000, discountBasisPoints = 1000 });
        var tierId = (await ReadAsync(created)).GetProperty("id").GetInt64();
        try
        {
            using var vip = await LoginAsync();
            using var plain = await LoginAsync();
            Assert.That((await PayAsync(vip.MemberId, 2_000_000)).NewTierCode, Is.EqualTo(code));
            var productId = await InsertProductAsync(9_999);
            using var anonymous = Api.CreateClient();
            using var badToken = Api.CreateClient();
            badToken.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-session");

            var vipView = await ReadAsync(await vip.Client.GetAsync($"/api/catalog/products/{productId}"));
            var plainView = await ReadAsync(await plain.Client.GetAsync($"/api/catalog/products/{productId}"));
            var anonymousView = await ReadAsync(await anonymous.GetAsync($"/api/catalog/products/{productId}"));
            var badTokenResponse = await badToken.GetAsync($"/api/catalog/products/{productId}");
            var vipAgain = await ReadAsync(await vip.Client.GetAsync($"/api/catalog/products/{productId}"));

            Assert.Multiple(() =>
            {
                Assert.That(vipView.GetProperty("skus")[0].GetProperty("priceFen").GetInt64(), Is.EqualTo(9_000), "9,999 less 10 % (999.9 rounded down)");
                Assert.That(vipView.GetProperty("skus")[0].GetProperty("originalPriceFen").GetInt64(), Is.EqualTo(9_999));
                Assert.That(vipView.GetProperty("minPriceFen").GetInt64(), Is.EqualTo(9_000));
                Assert.That(plainView.GetProperty("skus")[0].GetProperty("priceFen").GetInt64(), Is.EqualTo(9_999));
                Assert.That(anonymousView.GetProperty("skus")[0].GetProperty("priceFen").GetInt64(), Is.EqualTo(9_999), "the shared cached view is untouched");
                Assert.That(badTokenResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a bad token is just anonymous here");
                Assert.That(vipAgain.GetProperty("skus")[0].GetProperty("priceFen").GetInt64(), Is.EqualTo(9_000));
            });
        }
        finally
        {
            await admin.DeleteAsync($"/admin/tiers/{tierId}");
        }
    }

    [Test]
    public async Task Merge_KeepsTheBetterTier_AndAddsLifetimeCounters()
    {
        using var admin = Api.CreateAdminClient();
        var code = "plat" + Guid.NewGuid().ToString("N")[..6];
        var created = await admin.PostAsJsonAsync("/admin/tiers", new { code, name = "Platinum", rank = 700, minSpendFen = 3_000_000 });
        var tierId = (await ReadAsync(created)).GetProperty("id").GetInt64();
        try
        {
            using var survivor = await LoginAsync();
            using var merged = await LoginAsync();
            await PayAsync(survivor.MemberId, 1_000);
            Assert.That((await PayAsync(merged.MemberId, 3_000_000)).NewTierCode, Is.EqualTo(code));

            var response = await admin.PostAsJsonAsync($"/admin/members/{survivor.MemberId}/merge", new { mergedMemberId = merged.MemberId, reason = "same person" });

            Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
            Assert.Multiple(async () =>
            {
                Assert.That(await Api.ScalarAsync<string>("SELECT tier FROM members WHERE id = @id", new { id = survivor.MemberId }), Is.EqualTo(code));
                Assert.That(await Api.ScalarAsync<long>("SELECT lifetime_spend_fen FROM members WHERE id = @id", new { id = survivor.MemberId }), Is.EqualTo(3_001_000));
                Assert.That(await BalanceAsync(survivor.MemberId), Is.EqualTo(await LedgerSumAsync(survivor.MemberId)));
                Assert.That(await LotsSumAsync(survivor.MemberId), Is.EqualTo(await BalanceAsync(survivor.MemberId)));
            });
        }
        finally
        {
            await admin.DeleteAsync($"/admin/tiers/{tierId}");
        }
    }
}
