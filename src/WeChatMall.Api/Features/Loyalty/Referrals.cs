using System.Data.Common;
using Dapper;
using WeChatMall.Api.Features.Members;

namespace WeChatMall.Api.Features.Loyalty;

public abstract record ReferralResult;
public sealed record ReferrerBound(long ReferrerId) : ReferralResult;
/// <summary>Code: INVITE_CODE_UNKNOWN | SELF_REFERRAL | REFERRAL_CYCLE | REFERRER_ALREADY_SET | ALREADY_ORDERED | MEMBER_NOT_FOUND.</summary>
public sealed record ReferralRefused(string Code, string Message) : ReferralResult;

/// <summary>
/// Referral links (members.referrer_id): set once, never to oneself, never closing a cycle, and only before the
/// member's first paid order. The reward is paid by <see cref="MemberLoyalty.OnOrderPaidAsync"/> with the ledger key
/// "referral-reward:{refereeId}", so it is paid once per referee, ever.
/// </summary>
public static class Referrals
{
    const int MaxChain = 1000;

    const string LockSql = """
        SELECT id AS Id, referrer_id AS ReferrerId, first_paid_order_no AS FirstPaidOrderNo, merged_into AS MergedInto
        FROM members WHERE id = @id FOR UPDATE
        """;

    const string BindSql = """
        UPDATE members SET referrer_id = @referrerId, referred_at = @now, updated_at = @now
        WHERE id = @memberId AND referrer_id IS NULL AND first_paid_order_no IS NULL AND merged_into IS NULL
        """;

    public static async Task<ReferralResult> BindAsync(DbConnection c, DbTransaction tx, long memberId, string inviteCode, DateTime now, CancellationToken ct)
    {
        var referrerId = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT COALESCE(merged_into, id) FROM members WHERE invite_code = @inviteCode", new { inviteCode }, tx, cancellationToken: ct));
        if (referrerId is not { } rid) return new ReferralRefused("INVITE_CODE_UNKNOWN", "No member has this invite code.");
        if (rid == memberId) return new ReferralRefused("SELF_REFERRAL", "A member cannot refer themselves.");
        if (await c.QuerySingleOrDefaultAsync<LinkRow>(new CommandDefinition(LockSql, new { id = memberId }, tx, cancellationToken: ct)) is not { MergedInto: null } me)
            return new ReferralRefused("MEMBER_NOT_FOUND", "The member does not exist.");
        if (me.ReferrerId is not null) return new ReferralRefused("REFERRER_ALREADY_SET", "This member already has a referrer.");
        if (me.FirstPaidOrderNo is not null) return new ReferralRefused("ALREADY_ORDERED", "A referrer can only be set before the first paid order.");
        if (await ReachesAsync(c, tx, rid, memberId, ct))
            return new ReferralRefused("REFERRAL_CYCLE", "This member is already in the referrer's chain of referrers.");
        await c.ExecuteAsync(new CommandDefinition(BindSql, new { referrerId = rid, memberId, now }, tx, cancellationToken: ct));
        return new ReferrerBound(rid);
    }

    /// <summary>True when following referrer links up from <paramref name="from"/> meets <paramref name="target"/>.</summary>
    static async Task<bool> ReachesAsync(DbConnection c, DbTransaction tx, long from, long target, CancellationToken ct)
    {
        long? at = from;
        for (var i = 0; i < MaxChain && at is { } id; i++)
        {
            if (id == target) return true;
            at = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT referrer_id FROM members WHERE id = @id", new { id }, tx, cancellationToken: ct));
        }
        return at is not null; // a chain this long is treated as a cycle rather than followed forever
    }

    /// <summary>
    /// MemberMerger's part (both rows locked by it): the survivor keeps its own referrer, or takes the merged member's
    /// when it has none (unless that would point at itself or close a cycle); lifetime counters add up; the first paid
    /// order is the survivor's if any; the better tier (by rank) of the two stays. Referees were re-pointed by the merger's
    /// move list; a link to itself is cut.
    /// </summary>
    public static async Task MergeAsync(DbConnection c, DbTransaction tx, long survivorId, long mergedId, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE members SET referrer_id = NULL, referred_at = NULL WHERE id = @survivorId AND referrer_id = @mergedId",
            new { survivorId, mergedId }, tx, cancellationToken: ct));
        var merged = await c.QuerySingleAsync<LinkRow>(new CommandDefinition(LockSql, new { id = mergedId }, tx, cancellationToken: ct));
        var survivor = await c.QuerySingleAsync<LinkRow>(new CommandDefinition(LockSql, new { id = survivorId }, tx, cancellationToken: ct));
        if (survivor.ReferrerId is null && merged.ReferrerId is { } r && r != survivorId && !await ReachesAsync(c, tx, r, survivorId, ct))
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE members s JOIN members m ON m.id = @mergedId SET s.referrer_id = m.referrer_id, s.referred_at = m.referred_at WHERE s.id = @survivorId",
                new { survivorId, mergedId }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE members s JOIN members m ON m.id = @mergedId
            SET s.lifetime_spend_fen = s.lifetime_spend_fen + m.lifetime_spend_fen,
                s.lifetime_points_earned = s.lifetime_points_earned + m.lifetime_points_earned,
                s.first_paid_order_no = COALESCE(s.first_paid_order_no, m.first_paid_order_no)
            WHERE s.id = @survivorId
            """, new { survivorId, mergedId }, tx, cancellationToken: ct));
        // The better tier of the two stays (a merge never costs the person a tier they reached).
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE members s JOIN members m ON m.id = @mergedId
                LEFT JOIN member_tiers ts ON ts.code = s.tier LEFT JOIN member_tiers tm ON tm.code = m.tier
            SET s.tier = m.tier
            WHERE s.id = @survivorId AND tm.id IS NOT NULL AND (ts.id IS NULL OR tm.tier_rank > ts.tier_rank)
            """, new { survivorId, mergedId }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE members SET referrer_id = NULL, lifetime_spend_fen = 0, lifetime_points_earned = 0 WHERE id = @mergedId",
            new { mergedId }, tx, cancellationToken: ct));
    }

    sealed record LinkRow(long Id, long? ReferrerId, string? FirstPaidOrderNo, long? MergedInto);

    /// <summary>The ledger key of the reward for one referee: at most one such entry can exist.</summary>
    public static string RewardKey(long refereeId) => $"referral-reward:{refereeId}";

    public static Task<PointsPostResult> PayRewardAsync(DbConnection c, DbTransaction tx, long referrerId, long refereeId, long points, string orderNo, DateTime now, CancellationToken ct) =>
        PointsLedger.PostAsync(c, tx, referrerId, points, "Referral reward", orderNo, RewardKey(refereeId), now, ct);
}
