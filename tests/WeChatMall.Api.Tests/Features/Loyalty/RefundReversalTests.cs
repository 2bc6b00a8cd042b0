using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using WeChatMall.Api.Features.Loyalty;
using WeChatMall.Api.Tests.Features.Payments;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Loyalty.LoyaltyEnvironment;
using static WeChatMall.Api.Tests.Features.Loyalty.LoyaltyShop;

namespace WeChatMall.Api.Tests.Features.Loyalty;

/// <summary>What one refund takes back, once, and how owed points are settled (issue #13, item 4).</summary>
public sealed class RefundReversalTests
{
    static ApiFactory Api => LoyaltyEnvironment.Api;

    [Test]
    public async Task FullRefund_NotificationRedeliveredFiveTimesAndLoyaltyCalledAgain_TakesEverythingBackOnce()
    {
        var (referrer, _) = await SignUpAsync();
        using var r = referrer;
        var (shopper, addressId) = await SignUpAsync(await InviteCodeAsync(referrer));
        using var s = shopper;
        var a = await BuyAsync(shopper, addressId, await NewSkuAsync(30_000), 1);
        var outRefundNo = await RefundAsync(a.OrderNo, a.PayableFen);

        var notification = (await ReadAsync(await LoyaltyEnvironment.Sandbox.Client.GetAsync($"/sandbox/pay/notifications?outTradeNo={a.OrderNo}")))
            .EnumerateArray().Single(n => n.GetProperty("outRefundNo").GetString() == outRefundNo).GetProperty("id").GetString();
        var redelivered = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            LoyaltyEnvironment.Sandbox.Client.PostAsync($"/sandbox/pay/notifications/{notification}/redeliver", null)));
        // The refund state machine may change; loyalty must hold on its own: the same refund applied again does nothing.
        await using (var c = new MySqlConnection(TestServers.MySqlFor(Api.Database)))
        {
            await c.OpenAsync();
            await using var tx = await c.BeginTransactionAsync();
            await Api.Services.GetRequiredService<ILoyalty>().OnOrderRefundedAsync(c, tx,
                new RefundedOrder(a.OrderNo, outRefundNo, shopper.MemberId, a.PayableFen, a.PayableFen, DateTime.UtcNow, FullRefund: true), CancellationToken.None);
            await tx.CommitAsync();
        }
        var member = await PointsAsync(shopper.MemberId);

        Assert.Multiple(async () =>
        {
            Assert.That(redelivered.Select(x => x.StatusCode), Is.EqualTo(Enumerable.Repeat(HttpStatusCode.OK, 5)));
            Assert.That(await Api.QueryAsync<(string, long)>(
                "SELECT idempotency_key, delta FROM points_ledger WHERE member_id = @MemberId ORDER BY id", shopper), Is.EqualTo(new[]
                {
                    ($"order-earn:{a.OrderNo}", 300L), ($"first-order-bonus:{shopper.MemberId}", FirstOrderBonus),
                    ($"order-refund-earn:{outRefundNo}", -300L), ($"reversed:first-order-bonus:{shopper.MemberId}", -FirstOrderBonus),
                }), "earned, bonus, and each taken back once");
            Assert.That(await Api.QueryAsync<(string, long)>(
                "SELECT idempotency_key, delta FROM points_ledger WHERE member_id = @MemberId ORDER BY id", referrer), Is.EqualTo(new[]
                {
                    ($"referral-reward:{shopper.MemberId}", ReferralReward), ($"reversed:referral-reward:{shopper.MemberId}", -ReferralReward),
                }));
            Assert.That(member with { LifetimeSpendFen = 0 }, Is.EqualTo(new MemberPoints()), "nothing held, nothing owed, no tier");
            Assert.That(member.LifetimeSpendFen, Is.Zero);
        });
    }

    [Test]
    public async Task PartialRefunds_KeepBonusAndReward_TheRefundThatCompletesTheOrderTakesExactlyTheRest()
    {
        var (referrer, _) = await SignUpAsync();
        using var r = referrer;
        var (shopper, addressId) = await SignUpAsync(await InviteCodeAsync(referrer));
        using var s = shopper;
        var a = await BuyAsync(shopper, addressId, await NewSkuAsync(12_345), 1); // 123 points, rounded down once

        await RefundAsync(a.OrderNo, 5_000); // 123 × 5,000 / 12,345 = 49.8 → 49
        await RefundAsync(a.OrderNo, 5_000);
        var afterPartial = await PointsAsync(shopper.MemberId);
        var referrerAfterPartial = await PointsAsync(referrer.MemberId);
        await RefundAsync(a.OrderNo, a.PayableFen - 10_000); // proportion alone would leave 2 points behind
        var afterFull = await PointsAsync(shopper.MemberId);

        Assert.Multiple(async () =>
        {
            Assert.That(afterPartial.Balance, Is.EqualTo(123 + FirstOrderBonus - 49 - 49), "a partial refund leaves the bonus");
            Assert.That(referrerAfterPartial.Balance, Is.EqualTo(ReferralReward), "and the referral reward");
            Assert.That(afterFull.Balance, Is.Zero);
            Assert.That(afterFull.Owed, Is.Zero);
            Assert.That(afterFull.LedgerSum, Is.Zero);
            Assert.That(afterFull.LifetimeSpendFen, Is.Zero);
            Assert.That((await PointsAsync(referrer.MemberId)).Balance, Is.Zero);
            Assert.That(await Api.ScalarAsync<long>("SELECT points_reversed FROM loyalty_effects WHERE effect_key = @key",
                new { key = $"paid:{a.OrderNo}" }), Is.EqualTo(123));
        });
    }

    [Test]
    public async Task OwedPoints_NothingToSpendMeanwhile_LaterEarningsSettleThemFirst_ThenPointsPayAgain()
    {
        var (shopper, addressId) = await SignUpAsync();
        using var s = shopper;
        var small = await NewSkuAsync(20_000);
        var owed = await FarmOnceAsync(shopper, addressId, small);
        var me = await ReadAsync(await shopper.Client.GetAsync("/api/me"));

        var c = await PlaceAsync(shopper, addressId, small, 1, pointsToUse: 5_000);
        await PayAsync(shopper, c.OrderNo);
        var cEarned = await Api.ScalarAsync<long>("SELECT points_earned FROM orders WHERE order_no = @OrderNo", c);
        var afterC = await PointsAsync(shopper.MemberId);
        var settleKey = await Api.ScalarAsync<string>(
            "SELECT CONCAT('owed-settle:', id) FROM points_ledger WHERE idempotency_key = @key", new { key = $"order-earn:{c.OrderNo}" });

        using var admin = Api.CreateAdminClient();
        var credited = await admin.PostAsJsonAsync($"/admin/members/{shopper.MemberId}/points", new { delta = afterC.Owed + 700, reason = "goodwill" });
        var afterCredit = await PointsAsync(shopper.MemberId);
        var d = await PlaceAsync(shopper, addressId, small, 1, pointsToUse: 5_000);

        Assert.Multiple(async () =>
        {
            Assert.That(owed, Is.GreaterThan(0));
            Assert.That(me.GetProperty("loyalty").GetProperty("pointsOwed").GetInt64(), Is.EqualTo(owed), "/api/me shows the debt");
            Assert.That(c.PointsUsed, Is.Zero, "no points can pay while points are owed");
            Assert.That(c.PayableFen, Is.EqualTo(20_000));
            Assert.That(cEarned, Is.EqualTo(200));
            Assert.That(afterC.Owed, Is.EqualTo(owed - cEarned), "the next order's points settle the debt first");
            Assert.That(afterC.Balance, Is.Zero);
            Assert.That(await Api.ScalarAsync<long>("SELECT delta FROM points_ledger WHERE idempotency_key = @settleKey", new { settleKey }), Is.EqualTo(-cEarned));
            Assert.That(await Api.ScalarAsync<long>("SELECT delta FROM points_owed_entries WHERE idempotency_key = @settleKey", new { settleKey }), Is.EqualTo(-cEarned));
            Assert.That(credited.StatusCode, Is.EqualTo(HttpStatusCode.OK), await credited.Content.ReadAsStringAsync());
            Assert.That(afterCredit.Owed, Is.Zero);
            Assert.That(afterCredit.Balance, Is.EqualTo(700));
            Assert.That(afterCredit.LotsSum, Is.EqualTo(700));
            Assert.That(afterCredit.OwedSum, Is.Zero);
            Assert.That(d.PointsUsed, Is.EqualTo(700), "settled: points pay again");
        });
    }

    [Test]
    public async Task Merge_SurvivorOwesPoints_TheMergedBalanceSettlesThem()
    {
        var (survivor, addressId) = await SignUpAsync();
        using var s = survivor;
        var (merged, _) = await SignUpAsync();
        using var m = merged;
        var owed = await FarmOnceAsync(survivor, addressId, await NewSkuAsync(20_000));
        using var admin = Api.CreateAdminClient();
        (await admin.PostAsJsonAsync($"/admin/members/{merged.MemberId}/points", new { delta = owed + 1_234, reason = "migrated" })).EnsureSuccessStatusCode();

        var response = await admin.PostAsJsonAsync($"/admin/members/{survivor.MemberId}/merge", new { mergedMemberId = merged.MemberId, reason = "same person" });
        var after = await PointsAsync(survivor.MemberId);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            Assert.That(after.Owed, Is.Zero);
            Assert.That(after.Balance, Is.EqualTo(1_234));
            Assert.That(after.LedgerSum, Is.EqualTo(1_234));
            Assert.That(after.LotsSum, Is.EqualTo(1_234));
            Assert.That(after.OwedSum, Is.Zero);
            Assert.That((await PointsAsync(merged.MemberId)) with { LifetimeSpendFen = 0 }, Is.EqualTo(new MemberPoints()));
        });
    }

    /// <summary>One farming cycle on a first order (A reaches Gold, B spends A's points, A refunded): returns what is owed.</summary>
    static async Task<long> FarmOnceAsync(Shopper shopper, long addressId, long smallSku)
    {
        var a = await BuyAsync(shopper, addressId, await NewSkuAsync(120_000, pointsPerYuan: 50), 1);
        await BuyAsync(shopper, addressId, smallSku, 1, pointsToUse: 1_000_000);
        await RefundAsync(a.OrderNo, a.PayableFen);
        var p = await PointsAsync(shopper.MemberId);
        Assert.That(p.Balance, Is.Zero, p.ToString());
        return p.Owed;
    }
}
