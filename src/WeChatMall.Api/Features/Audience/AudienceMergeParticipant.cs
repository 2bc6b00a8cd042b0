using WeChatMall.Api.Features.Audience.Tags;
using WeChatMall.Api.Features.Members;

namespace WeChatMall.Api.Features.Audience;

/// <summary>
/// A merge, in its transaction: the merged member's tags join the survivor, its stats row goes,
/// and the survivor's stats and rule tags are recomputed. Registered after Orders' and Marketplace's participants
/// (AddAudience comes later in Program.cs), so the merged member's orders and imported orders already belong to the survivor when this runs.
/// </summary>
public sealed class AudienceMergeParticipant(MemberActivity activity, TimeProvider time) : IMemberMergeParticipant
{
    public async Task MoveAsync(MemberMergeStep step, CancellationToken ct)
    {
        var (c, tx) = (step.Connection, step.Transaction);
        step.Moved["member_tags"] = await TagStore.MergeAsync(c, tx, step.SurvivorId, step.MergedId, time.GetUtcNow().UtcDateTime, ct);
        await MemberStats.RemoveAsync(c, tx, step.MergedId, ct);
        await activity.MembersChangedAsync(c, tx, [step.SurvivorId], ct);
    }
}
