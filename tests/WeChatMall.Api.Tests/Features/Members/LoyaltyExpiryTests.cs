using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Features.Loyalty;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.LoyaltyTestData;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;

namespace WeChatMall.Api.Tests.Features.Members;

/// <summary>
/// Expiry with the default policy (end of the following year, China time), run by calling the job with a chosen "now".
/// Dates are before 2026 so no other test's lots (earned today) are due.
/// </summary>
public sealed class LoyaltyExpiryTests
{
    static ApiFactory Api => MembersEnvironment.Api;
    // The sibling namespace Features.Loyalty would otherwise win over LoyaltyTestData.Loyalty.
    static ILoyalty Loyalty => LoyaltyTestData.Loyalty;

    static readonly DateTime Earned2023 = new(2023, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    static readonly DateTime Earned2024 = new(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    static Task<PointsPostResult> CreditAsync(long memberId, long points, DateTime at) => InTransactionAsync((c, tx) =>
        PointsLedger.PostAsync(c, tx, memberId, points, "test credit", null, "test:" + Guid.NewGuid().ToString("N"), at, CancellationToken.None));

    [Test]
    public async Task SpendThenExpire_OnlyUnspentRemainderOfOldestLotExpires_BalanceEqualsSumOfEntries()
    {
        using var member = await LoginAsync();
        var id = member.MemberId;
        await CreditAsync(id, 100, Earned2023);
        await CreditAsync(id, 50, Earned2024);
        var spent = await InTransactionAsync((c, tx) =>
            Loyalty.RedeemAsync(c, tx, id, 30, NewOrderNo(), new DateTime(2024, 7, 1, 0, 0, 0, DateTimeKind.Utc), CancellationToken.None));
        var job = Api.Services.GetRequiredService<PointsExpiryJob>();

        // 2023's points expire at the end of 2024 (China time = 2024-12-31 16:00 UTC); 2024's are still good.
        var before = await job.ExpireAsync(new DateTime(2024, 12, 31, 15, 59, 0, DateTimeKind.Utc), CancellationToken.None);
        await job.ExpireAsync(new DateTime(2024, 12, 31, 16, 0, 1, DateTimeKind.Utc), CancellationToken.None);
        var again = await job.ExpireAsync(new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc), CancellationToken.None);
        var expiredEntries = (await Api.QueryAsync<long>(
            "SELECT delta FROM points_ledger WHERE member_id = @id AND reason = 'Points expired' ORDER BY id", new { id })).ToList();
        var balance = await BalanceAsync(id);
        var ledger = await LedgerSumAsync(id);
        var lots = await LotsSumAsync(id);

        Assert.Multiple(() =>
        {
            Assert.That(spent, Is.TypeOf<PointsPosted>());
            Assert.That(before, Is.Zero, "nothing is due before the end of 2024 in China");
            Assert.That(expiredEntries, Is.EqualTo(new long[] { -70 }), "100 earned in 2023, 30 of it spent: 70 expire");
            Assert.That(again, Is.Zero, "a second run expires nothing more");
            Assert.That(balance, Is.EqualTo(50));
            Assert.That(ledger, Is.EqualTo(balance));
            Assert.That(lots, Is.EqualTo(balance));
        });

        await job.ExpireAsync(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(await BalanceAsync(id), Is.Zero, "2024's 50 points expire at the end of 2025");
            Assert.That(await LedgerSumAsync(id), Is.Zero);
            Assert.That(await Api.QueryAsync<long>("SELECT balance_after FROM points_ledger WHERE member_id = @id ORDER BY id", new { id }),
                Is.EqualTo(new long[] { 100, 150, 120, 50, 0 }), "credits, the spend, then each expiry from the balance before it");
        });
    }

    [Test]
    public async Task ConcurrentExpiryRuns_ExpireEachLotOnce()
    {
        using var member = await LoginAsync();
        await CreditAsync(member.MemberId, 40, Earned2023.AddDays(1));
        var job = Api.Services.GetRequiredService<PointsExpiryJob>();
        var now = new DateTime(2025, 1, 2, 0, 0, 0, DateTimeKind.Utc);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => job.ExpireAsync(now, CancellationToken.None)));

        Assert.Multiple(async () =>
        {
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM points_ledger WHERE member_id = @id AND reason = 'Points expired'",
                new { id = member.MemberId }), Is.EqualTo(1));
            Assert.That(await BalanceAsync(member.MemberId), Is.Zero);
        });
    }

    [Test]
    public void Policy_EndOfFollowingYear_UsesChinaYear()
    {
        var policy = new PointsExpiryPolicy(PointsExpiryKind.EndOfFollowingYear, 0);
        // 2024-12-31 17:00 UTC is already 2025 in China: those points last until the end of 2026.
        Assert.Multiple(() =>
        {
            Assert.That(policy.ExpiresAt(new DateTime(2024, 12, 31, 17, 0, 0, DateTimeKind.Utc)), Is.EqualTo(new DateTime(2026, 12, 31, 16, 0, 0, DateTimeKind.Utc)));
            Assert.That(policy.ExpiresAt(new DateTime(2024, 12, 31, 15, 0, 0, DateTimeKind.Utc)), Is.EqualTo(new DateTime(2025, 12, 31, 16, 0, 0, DateTimeKind.Utc)));
            Assert.That(new PointsExpiryPolicy(PointsExpiryKind.Never, 0).EarnedBefore(DateTime.UtcNow), Is.Null);
            Assert.That(new PointsExpiryPolicy(PointsExpiryKind.Days, 30).EarnedBefore(new DateTime(2025, 2, 1, 0, 0, 0, DateTimeKind.Utc)),
                Is.EqualTo(new DateTime(2025, 1, 2, 0, 0, 0, DateTimeKind.Utc)));
        });
    }
}
