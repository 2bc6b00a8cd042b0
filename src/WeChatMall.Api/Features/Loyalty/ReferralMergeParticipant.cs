using Dapper;
using WeChatMall.Api.Features.Members;

namespace WeChatMall.Api.Features.Loyalty;

/// <summary>
/// A member merge: referees of the merged member now count for the survivor, and the survivor keeps a referrer, the
/// lifetime totals of both and the better tier (<see cref="Referrals.MergeAsync"/>).
/// </summary>
public sealed class ReferralMergeParticipant : IMemberMergeParticipant
{
    public async Task MoveAsync(MemberMergeStep step, CancellationToken ct)
    {
        var (c, tx) = (step.Connection, step.Transaction);
        step.Moved["referees"] = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE members SET referrer_id = @survivorId WHERE referrer_id = @mergedId AND id <> @survivorId",
            new { survivorId = step.SurvivorId, mergedId = step.MergedId }, tx, cancellationToken: ct));
        await Referrals.MergeAsync(c, tx, step.SurvivorId, step.MergedId, ct);
    }
}
