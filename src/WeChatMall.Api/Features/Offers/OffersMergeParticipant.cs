using Dapper;
using WeChatMall.Api.Features.Members;

namespace WeChatMall.Api.Features.Offers;

/// <summary>
/// A member merge moves the merged member's coupons, sign-ins, draw chances, draw records and mall exchanges to the
/// survivor. A sign-in day both members have stays the survivor's (one row per day); streaks are not recomputed.
/// </summary>
public sealed class OffersMergeParticipant : IMemberMergeParticipant
{
    static readonly (string Table, string Sql)[] Moves =
    [
        ("sign_ins", "UPDATE IGNORE sign_ins SET member_id = @survivorId WHERE member_id = @mergedId"),
        ("sign_ins_duplicate_days", "DELETE FROM sign_ins WHERE member_id = @mergedId"),
        ("draw_records", "UPDATE draw_records SET member_id = @survivorId WHERE member_id = @mergedId"),
        // Mall exchanges keep counting against the per-member limit: seq moves out of the 1..limit range as coupons do.
        ("mall_exchanges", "UPDATE mall_exchanges SET member_id = @survivorId, seq = 1000000 + id WHERE member_id = @mergedId"),
    ];

    public async Task MoveAsync(MemberMergeStep step, CancellationToken ct)
    {
        var (c, tx) = (step.Connection, step.Transaction);
        step.Moved["member_coupons"] = await CouponTransitions.MoveToMemberAsync(c, tx, step.MergedId, step.SurvivorId, ct);
        foreach (var (table, sql) in Moves)
            step.Moved[table] = await c.ExecuteAsync(new CommandDefinition(sql, new { survivorId = step.SurvivorId, mergedId = step.MergedId }, tx, cancellationToken: ct));
        await DrawChances.MergeAsync(c, tx, step.SurvivorId, step.MergedId, ct);
    }
}
