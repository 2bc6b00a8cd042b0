using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Offers.OfferTestData;

namespace WeChatMall.Api.Tests.Features.Offers;

/// <summary>
/// Daily sign-in in China calendar days on a fake clock that only moves forward (the tests run in order): midnight,
/// month and year boundaries, a missed day, a 3-day cycle (10 points a day, day 3 gives 30 points and a draw chance).
/// </summary>
[NonParallelizable]
public sealed class SignInTests
{
    // 23:59:50 on 30 January 2026 in China.
    readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 1, 30, 15, 59, 50, TimeSpan.Zero));
    ApiFactory api = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => api = await ApiFactory.StartAsync(new Dictionary<string, string?>
    {
        ["Offers:SignInCycleDays"] = "3",
        ["Offers:SignInDailyPoints"] = "10",
        ["Offers:SignInRewards:0:Day"] = "3",
        ["Offers:SignInRewards:0:Points"] = "30",
        ["Offers:SignInRewards:0:DrawChances"] = "1",
    }, clock: clock);

    [OneTimeTearDown]
    public async Task StopAsync() => await api.DisposeAsync();

    static async Task<JsonElement> SignInAsync(OfferMember m)
    {
        var response = await m.Client.PostAsync("/api/sign-in", null);
        var json = await ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), json.ToString());
        return json;
    }

    Task<long> PointsAsync(long memberId) => api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @memberId", new { memberId });

    [Test, Order(1)]
    public async Task TenConcurrentTaps_OneSignIn_OneReward()
    {
        using var m = await NewMemberAsync(api);
        var taps = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => m.Client.PostAsync("/api/sign-in", null)));
        var firsts = 0;
        foreach (var t in taps) if ((await ReadAsync(t)).GetProperty("firstToday").GetBoolean()) firsts++;

        Assert.Multiple(async () =>
        {
            Assert.That(taps.Select(t => t.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(firsts, Is.EqualTo(1), "one tap was the day's sign-in");
            Assert.That(await api.ScalarAsync<long>("SELECT COUNT(*) FROM sign_ins WHERE member_id = @MemberId", m), Is.EqualTo(1));
            Assert.That(await api.ScalarAsync<long>("SELECT COUNT(*) FROM points_ledger WHERE member_id = @MemberId", m), Is.EqualTo(1), "one reward");
            Assert.That(await PointsAsync(m.MemberId), Is.EqualTo(10));
        });
    }

    [Test, Order(2)]
    public async Task Streak_AcrossChinaMidnightAndAMonthEnd_CycleDay3Rewards_AMissedDayResets()
    {
        using var m = await NewMemberAsync(api);
        var jan30 = await SignInAsync(m);                       // 23:59:50 China, 30 Jan (15:59:50 UTC)
        clock.Advance(TimeSpan.FromSeconds(20));                // 00:00:10 China, 31 Jan — still 30 Jan in UTC
        var jan31 = await SignInAsync(m);
        clock.Advance(TimeSpan.FromDays(1));                    // 1 Feb: day 3 of the cycle
        var feb1 = await SignInAsync(m);
        var calendar = await ReadAsync(await m.Client.GetAsync("/api/sign-in"));
        clock.Advance(TimeSpan.FromDays(1));                    // 2 Feb: day 1 of the next cycle, streak 4
        var feb2 = await SignInAsync(m);
        clock.Advance(TimeSpan.FromDays(2));                    // 4 Feb: 3 Feb was missed
        var feb4 = await SignInAsync(m);

        Assert.Multiple(async () =>
        {
            Assert.That(jan30.GetProperty("today").GetString(), Is.EqualTo("2026-01-30"));
            Assert.That(jan31.GetProperty("today").GetString(), Is.EqualTo("2026-01-31"), "China midnight, not UTC midnight, starts the day");
            Assert.That(new[] { jan30, jan31, feb1, feb2, feb4 }.Select(s => s.GetProperty("streak").GetInt32()), Is.EqualTo(new[] { 1, 2, 3, 4, 1 }));
            Assert.That(new[] { jan30, jan31, feb1, feb2, feb4 }.Select(s => s.GetProperty("cycleDay").GetInt32()), Is.EqualTo(new[] { 1, 2, 3, 1, 1 }));
            Assert.That(new[] { jan30, jan31, feb1, feb2, feb4 }.Select(s => s.GetProperty("firstToday").GetBoolean()), Is.All.True);
            Assert.That(await PointsAsync(m.MemberId), Is.EqualTo(10 + 10 + 30 + 10 + 10), "day 3 of the cycle pays 30");
            Assert.That(await api.ScalarAsync<int>("SELECT chances FROM draw_chances WHERE member_id = @MemberId", m), Is.EqualTo(1));
            Assert.That(calendar.GetProperty("calendar").EnumerateArray().Select(d => d.GetProperty("day").GetString()),
                Is.EqualTo(new[] { "2026-01-30", "2026-01-31", "2026-02-01" }));
            Assert.That(calendar.GetProperty("calendar").EnumerateArray().Select(d => d.GetProperty("signedIn").GetBoolean()), Is.All.True);
            Assert.That(calendar.GetProperty("calendar")[2].GetProperty("rewardPoints").GetInt64(), Is.EqualTo(30));
        });
    }

    [Test, Order(3)]
    public async Task Streak_AcrossTheYearEnd_InChinaTime_AndTheCalendarShowsTheCurrentCycle()
    {
        // To 23:59:55 on 31 December 2026 in China (15:59:55 UTC).
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 31, 15, 59, 55, TimeSpan.Zero));
        using var m = await NewMemberAsync(api);
        var dec31 = await SignInAsync(m);
        clock.Advance(TimeSpan.FromSeconds(10));                // 00:00:05 on 1 January 2027 in China
        var before = await ReadAsync(await m.Client.GetAsync("/api/sign-in"));
        var jan1 = await SignInAsync(m);

        Assert.Multiple(() =>
        {
            Assert.That(dec31.GetProperty("today").GetString(), Is.EqualTo("2026-12-31"));
            Assert.That(jan1.GetProperty("today").GetString(), Is.EqualTo("2027-01-01"));
            Assert.That(jan1.GetProperty("streak").GetInt32(), Is.EqualTo(2), "the year boundary does not break the streak");
            Assert.That(before.GetProperty("signedInToday").GetBoolean(), Is.False);
            Assert.That(before.GetProperty("streak").GetInt32(), Is.EqualTo(1), "yesterday's streak, until today's sign-in");
            Assert.That(before.GetProperty("cycleDay").GetInt32(), Is.EqualTo(2));
            Assert.That(before.GetProperty("calendar").EnumerateArray().Select(d => (d.GetProperty("day").GetString(), d.GetProperty("signedIn").GetBoolean())),
                Is.EqualTo(new[] { ("2026-12-31", true), ("2027-01-01", false), ("2027-01-02", false) }));
        });
    }
}
