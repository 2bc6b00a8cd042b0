using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Database;

namespace WeChatMall.Api.Features.Offers;

public sealed record SignInDayDto(DateOnly Day, int CycleDay, bool SignedIn, long RewardPoints, long? RewardCouponTemplateId, int RewardDrawChances);

/// <summary>
/// The member's sign-in state. Today is the China calendar date; Streak counts consecutive days up to today (or up to
/// yesterday while today is not signed yet); Calendar is the current cycle, day 1 to SignInCycleDays.
/// FirstToday: this request was the day's sign-in (false for a repeated tap, which changes nothing).
/// </summary>
public sealed record SignInDto(DateOnly Today, bool SignedInToday, bool FirstToday, int Streak, int CycleDay, long? RewardCouponId,
    IReadOnlyList<SignInDayDto> Calendar);

/// <summary>
/// One sign-in per member per China calendar day: the primary key (member_id, day) decides, so ten taps at once insert
/// one row and pay one reward (points through the ledger, a coupon through <see cref="CouponIssuer"/>, draw chances),
/// all in the sign-in's transaction. A missed day starts the streak again at 1.
/// </summary>
public sealed class DailySignIn(MySqlDataSource db, IOptions<OffersOptions> options, TimeProvider clock)
{
    const string StreakSql = "SELECT streak FROM sign_ins WHERE member_id = @memberId AND day = @day";

    const string InsertSql = """
        INSERT INTO sign_ins (member_id, day, streak, cycle_day, reward_points, reward_chances, created_at)
        VALUES (@memberId, @day, @streak, @cycleDay, @points, @chances, @now)
        """;

    public Task<SignInDto> SignInAsync(long memberId, CancellationToken ct) =>
        LockConflictRetry.RunAsync(async () =>
        {
            var o = options.Value;
            var now = clock.GetUtcNow().UtcDateTime;
            var today = ChinaDate.Of(now);
            long? couponId = null;
            var first = false;
            await using (var c = await db.OpenConnectionAsync(ct))
            await using (var tx = await c.BeginTransactionAsync(ct))
            {
                var streak = (await c.ExecuteScalarAsync<int?>(new CommandDefinition(StreakSql,
                    new { memberId, day = today.AddDays(-1).Sql() }, tx, cancellationToken: ct)) ?? 0) + 1;
                var cycleDay = (streak - 1) % o.SignInCycleDays + 1;
                var reward = o.RewardFor(cycleDay);
                try
                {
                    await c.ExecuteAsync(new CommandDefinition(InsertSql, new
                    {
                        memberId, day = today.Sql(), streak, cycleDay, points = reward.Points, chances = reward.DrawChances, now,
                    }, tx, cancellationToken: ct));
                    first = true;
                }
                catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
                {
                    // Another tap signed in today first: nothing more to do.
                }
                if (first)
                {
                    var day = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                    if (reward.Points > 0)
                        await PointsLedger.PostAsync(c, tx, memberId, reward.Points, "Daily sign-in", day, $"sign-in:{memberId}:{day}", now, ct);
                    if (reward.DrawChances > 0) await DrawChances.AddAsync(c, tx, memberId, reward.DrawChances, ct);
                    if (reward.CouponTemplateId is { } templateId
                        && await CouponIssuer.IssueAsync(c, tx, templateId, memberId, "sign_in", day, now, ct) is IssueResult.Issued issued)
                    {
                        couponId = issued.MemberCouponId;
                        await c.ExecuteAsync(new CommandDefinition("UPDATE sign_ins SET reward_coupon_id = @couponId WHERE member_id = @memberId AND day = @today",
                            new { couponId, memberId, today = today.Sql() }, tx, cancellationToken: ct));
                    }
                    await tx.CommitAsync(ct);
                }
            }
            return (await CalendarAsync(memberId, ct)) with { FirstToday = first, RewardCouponId = couponId };
        }, ct);

    public async Task<SignInDto> CalendarAsync(long memberId, CancellationToken ct)
    {
        var o = options.Value;
        var today = ChinaDate.Of(clock.GetUtcNow());
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = (await c.QueryAsync<(DateTime Day, int Streak)>(new CommandDefinition(
            "SELECT day, streak FROM sign_ins WHERE member_id = @memberId AND day BETWEEN @from AND @today ORDER BY day",
            new { memberId, from = today.AddDays(-o.SignInCycleDays).Sql(), today = today.Sql() }, cancellationToken: ct)))
            .ToDictionary(r => DateOnly.FromDateTime(r.Day), r => r.Streak);
        var signedToday = rows.TryGetValue(today, out var todayStreak);
        var streak = signedToday ? todayStreak : rows.GetValueOrDefault(today.AddDays(-1));
        // Today's place in the cycle: where today's sign-in is (or would be).
        var cycleDay = ((signedToday ? streak : streak + 1) - 1) % o.SignInCycleDays + 1;
        var start = today.AddDays(1 - cycleDay);
        var calendar = Enumerable.Range(0, o.SignInCycleDays).Select(i =>
        {
            var reward = o.RewardFor(i + 1);
            return new SignInDayDto(start.AddDays(i), i + 1, rows.ContainsKey(start.AddDays(i)), reward.Points, reward.CouponTemplateId, reward.DrawChances);
        }).ToList();
        return new SignInDto(today, signedToday, false, streak, cycleDay, null, calendar);
    }
}
