using System.Net;
using MySqlConnector;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;

namespace WeChatMall.Api.Tests.Features.Members;

public sealed class MemberPointsTests
{
    static ApiFactory Api => MembersEnvironment.Api;

    [Test]
    public async Task AdminAdjustment_Credit_ShowsInMeBalanceAndHistory()
    {
        using var member = await LoginAsync();

        var adjusted = await AdjustAsync(member.MemberId, 120, "welcome gift");
        var me = await ReadAsync(await member.Client.GetAsync("/api/me"));
        var history = await ReadAsync(await member.Client.GetAsync("/api/me/points"));

        Assert.Multiple(() =>
        {
            Assert.That(adjusted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(me.GetProperty("pointsBalance").GetInt64(), Is.EqualTo(120));
            var entry = history.GetProperty("items")[0];
            Assert.That(entry.GetProperty("delta").GetInt64(), Is.EqualTo(120));
            Assert.That(entry.GetProperty("balanceAfter").GetInt64(), Is.EqualTo(120));
            Assert.That(entry.GetProperty("reason").GetString(), Is.EqualTo("welcome gift"));
        });
    }

    [Test]
    public async Task AdminAdjustment_DebitBeyondBalance_Returns409AndWritesNothing()
    {
        using var member = await LoginAsync();
        await AdjustAsync(member.MemberId, 50);

        var response = await AdjustAsync(member.MemberId, -51);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await ReadAsync(response)).GetProperty("code").GetString(), Is.EqualTo("INSUFFICIENT_POINTS"));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @id", new { id = member.MemberId }), Is.EqualTo(50));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM points_ledger WHERE member_id = @id", new { id = member.MemberId }), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task AdminAdjustment_WithoutReasonOrWithZeroDelta_Returns400()
    {
        using var member = await LoginAsync();

        var noReason = await AdjustAsync(member.MemberId, 10, reason: "");
        var zero = await AdjustAsync(member.MemberId, 0);

        Assert.Multiple(() =>
        {
            Assert.That(noReason.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(zero.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task AdminAdjustment_SameIdempotencyKeyTwice_WritesOneEntry()
    {
        using var member = await LoginAsync();
        var key = Guid.NewGuid().ToString("N");

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => AdjustAsync(member.MemberId, 30, "compensation", key)));
        var reused = await AdjustAsync(member.MemberId, 31, "compensation", key);

        Assert.Multiple(async () =>
        {
            Assert.That(results.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM points_ledger WHERE member_id = @id", new { id = member.MemberId }), Is.EqualTo(1));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @id", new { id = member.MemberId }), Is.EqualTo(30));
            Assert.That(reused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await ReadAsync(reused)).GetProperty("code").GetString(), Is.EqualTo("IDEMPOTENCY_KEY_REUSED"));
        });
    }

    [Test]
    public async Task Ledger_TwentyConcurrentDebits_OnlyAffordableOnesSucceedAndBalanceMatchesEntries()
    {
        using var member = await LoginAsync();
        await AdjustAsync(member.MemberId, 100);

        var debits = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => AdjustAsync(member.MemberId, -30, "redeem")));

        var balance = await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @id", new { id = member.MemberId });
        var sum = await Api.ScalarAsync<long>("SELECT SUM(delta) FROM points_ledger WHERE member_id = @id", new { id = member.MemberId });
        var balances = await Api.QueryAsync<long>("SELECT balance_after FROM points_ledger WHERE member_id = @id ORDER BY id", new { id = member.MemberId });
        Assert.Multiple(() =>
        {
            Assert.That(debits.Count(d => d.StatusCode == HttpStatusCode.OK), Is.EqualTo(3));
            Assert.That(debits.Count(d => d.StatusCode == HttpStatusCode.Conflict), Is.EqualTo(17));
            Assert.That(balance, Is.EqualTo(10));
            Assert.That(sum, Is.EqualTo(balance));
            Assert.That(balances, Is.EqualTo(new long[] { 100, 70, 40, 10 }), "each debit saw the balance the one before left");
        });
    }

    [Test]
    public async Task MePoints_TwoMembers_EachSeesOnlyOwnEntriesNewestFirstPaged()
    {
        using var alice = await LoginAsync();
        using var bob = await LoginAsync();
        foreach (var delta in new[] { 1, 2, 3 }) await AdjustAsync(alice.MemberId, delta, $"alice {delta}");
        await AdjustAsync(bob.MemberId, 99, "bob");

        var page1 = await ReadAsync(await alice.Client.GetAsync("/api/me/points?page=1&pageSize=2"));
        var page2 = await ReadAsync(await alice.Client.GetAsync("/api/me/points?page=2&pageSize=2"));
        var bobs = await ReadAsync(await bob.Client.GetAsync("/api/me/points"));
        var badPage = await alice.Client.GetAsync("/api/me/points?pageSize=500");

        Assert.Multiple(() =>
        {
            Assert.That(page1.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("delta").GetInt64()), Is.EqualTo(new long[] { 3, 2 }));
            Assert.That(page1.GetProperty("hasMore").GetBoolean(), Is.True);
            Assert.That(page2.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("delta").GetInt64()), Is.EqualTo(new long[] { 1 }));
            Assert.That(page2.GetProperty("hasMore").GetBoolean(), Is.False);
            Assert.That(bobs.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("reason").GetString()), Is.EqualTo(new[] { "bob" }));
            Assert.That(badPage.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task PostAsync_CallerRollsBack_LeavesNoEntryAndNoBalance()
    {
        using var member = await LoginAsync();
        await using var c = new MySqlConnection(TestServers.MySqlFor(Api.Database));
        await c.OpenAsync();

        await using (var tx = await c.BeginTransactionAsync())
        {
            var result = await PointsLedger.PostAsync(c, tx, member.MemberId, 40, "order paid", "order:1", "test:" + Guid.NewGuid(), DateTime.UtcNow, default);
            Assert.That(result, Is.TypeOf<PointsPosted>());
            await tx.RollbackAsync();
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @id", new { id = member.MemberId }), Is.Zero);
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM points_ledger WHERE member_id = @id", new { id = member.MemberId }), Is.Zero);
        });
    }

    [Test]
    public async Task PostAsync_DebitBelowZero_ReturnsInsufficientPointsWithBalance()
    {
        using var member = await LoginAsync();
        await using var c = new MySqlConnection(TestServers.MySqlFor(Api.Database));
        await c.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();

        var result = await PointsLedger.PostAsync(c, tx, member.MemberId, -1, "redeem", null, "test:" + Guid.NewGuid(), DateTime.UtcNow, default);
        var missing = await PointsLedger.PostAsync(c, tx, long.MaxValue, 1, "gift", null, "test:" + Guid.NewGuid(), DateTime.UtcNow, default);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(new InsufficientPoints(0)));
            Assert.That(missing, Is.TypeOf<PointsMemberNotFound>());
        });
    }
}
