using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Loyalty.LoyaltyEnvironment;
using static WeChatMall.Api.Tests.Features.Loyalty.LoyaltyShop;

namespace WeChatMall.Api.Tests.Features.Loyalty;

/// <summary>
/// Issue #13, item 4: buy enough for a tier, spend the earned points on a second order, refund the first: after the
/// refund the member holds nothing the kept order did not earn, the referrer and the first-order bonus are taken back,
/// and the tier drops back. Everything goes through the real endpoints and the sandbox's WeChat Pay notifications.
/// </summary>
public sealed class RefundFarmingTests
{
    static ApiFactory Api => LoyaltyEnvironment.Api;

    [Test]
    public async Task EarnSpendRefund_ThreeCycles_NeverProfitable_TierDropsBack()
    {
        var (referrer, _) = await SignUpAsync();
        using var r = referrer;
        var (shopper, addressId) = await SignUpAsync(await InviteCodeAsync(referrer));
        using var s = shopper;
        // A: 1,200 yuan of a product paying 50 points per yuan (60,000 points, worth 600 yuan at 100 points per yuan): reaches Gold.
        var bigSku = await NewSkuAsync(120_000, pointsPerYuan: 50);
        var smallSku = await NewSkuAsync(20_000);
        long keptEarned = 0, keptRedeemed = 0, keptPaidFen = 0, keptDiscount = 0;

        for (var cycle = 1; cycle <= 3; cycle++)
        {
            var a = await BuyAsync(shopper, addressId, bigSku, 1);
            var afterA = await PointsAsync(shopper.MemberId);
            var b = await BuyAsync(shopper, addressId, smallSku, 1, pointsToUse: 1_000_000);
            var bEarned = await Api.ScalarAsync<long>("SELECT points_earned FROM orders WHERE order_no = @OrderNo", b);
            var outRefundNo = await RefundAsync(a.OrderNo, a.PayableFen);
            var after = await PointsAsync(shopper.MemberId);
            var referrerAfter = await PointsAsync(referrer.MemberId);
            keptEarned += bEarned;
            keptRedeemed += b.PointsUsed;
            keptPaidFen += b.PayableFen;
            keptDiscount += b.DiscountFen; // in points at the shipped redemption rate (100 points = 1 yuan = 100 fen)

            Assert.Multiple(async () =>
            {
                Assert.That(afterA.Tier, Is.EqualTo(GoldCode), $"cycle {cycle}: the first order reaches Gold");
                Assert.That(b.TierCode, Is.EqualTo(GoldCode), $"cycle {cycle}: the second order is placed in Gold");
                Assert.That(b.PointsUsed, Is.GreaterThan(0), $"cycle {cycle}: points earned on the first order pay part of the second");
                // Never profitable: what the member holds net of what is owed, plus the points spent on the order kept,
                // is no more than the orders kept earned; the referrer keeps nothing from a refunded first order.
                Assert.That(after.Net + keptRedeemed, Is.LessThanOrEqualTo(keptEarned), $"cycle {cycle}: {after}");
                // Nor does the Gold price of the second order pay: the discount it got only because A held Gold up is
                // taken back as points too, so points held + points spent + that discount never exceed what was earned.
                Assert.That(b.DiscountFen, Is.GreaterThan(0), $"cycle {cycle}: the second order got the Gold discount");
                Assert.That(after.Net + keptRedeemed + keptDiscount, Is.LessThanOrEqualTo(keptEarned), $"cycle {cycle}: discount kept; {after}");
                Assert.That(await Api.ScalarAsync<long>("""
                    SELECT (SELECT COALESCE(-SUM(delta), 0) FROM points_ledger WHERE idempotency_key = @key)
                         + (SELECT COALESCE(SUM(delta), 0) FROM points_owed_entries WHERE idempotency_key = @key)
                    """, new { key = $"tier-discount:{outRefundNo}:{b.OrderNo}" }), Is.EqualTo(b.DiscountFen),
                    $"cycle {cycle}: the second order's Gold discount is taken back once, as points");
                Assert.That(referrerAfter.Net, Is.LessThanOrEqualTo(0), $"cycle {cycle}: {referrerAfter}");
                Assert.That(after.Tier, Is.Null, $"cycle {cycle}: the kept orders alone do not reach Gold");
                Assert.That(after.LifetimeSpendFen, Is.EqualTo(keptPaidFen), $"cycle {cycle}: lifetime spend is net of refunds");
                // The books agree: ledger = balance = lots, owed entries = owed, never below zero.
                Assert.That(after.Balance, Is.GreaterThanOrEqualTo(0));
                Assert.That(after.LedgerSum, Is.EqualTo(after.Balance));
                Assert.That(after.LotsSum, Is.EqualTo(after.Balance));
                Assert.That(after.OwedSum, Is.EqualTo(after.Owed));
                Assert.That(await Api.ScalarAsync<long>("""
                    SELECT (SELECT COALESCE(-SUM(delta), 0) FROM points_ledger WHERE idempotency_key = @key)
                         + (SELECT COALESCE(SUM(delta), 0) FROM points_owed_entries WHERE idempotency_key = @key)
                    """, new { key = $"order-refund-earn:{outRefundNo}" }), Is.EqualTo(60_000),
                    $"cycle {cycle}: all 60,000 points A earned are taken back, debited or owed");
            });
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await Api.QueryAsync<long>("SELECT delta FROM points_ledger WHERE member_id = @MemberId ORDER BY id", referrer),
                Is.EqualTo(new[] { ReferralReward, -ReferralReward }), "the reward once, taken back once");
            Assert.That(await TakenBackAsync($"reversed:first-order-bonus:{shopper.MemberId}"), Is.EqualTo(FirstOrderBonus),
                "the first-order bonus is taken back once");
        });
    }

    /// <summary>Debited plus recorded as owed under one idempotency key.</summary>
    static Task<long> TakenBackAsync(string key) => Api.ScalarAsync<long>("""
        SELECT (SELECT COALESCE(-SUM(delta), 0) FROM points_ledger WHERE idempotency_key = @key)
             + (SELECT COALESCE(SUM(delta), 0) FROM points_owed_entries WHERE idempotency_key = @key)
        """, new { key });
}
