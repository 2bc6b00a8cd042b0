using WeChatMall.Api.Features.Members;

namespace WeChatMall.Api.Features.Audience.Marketplace;

/// <summary>A member merge moves the merged member's imported marketplace orders to the survivor (e.g. a prospect absorbed by a verified phone).</summary>
public sealed class MarketplaceMergeParticipant(TimeProvider time) : IMemberMergeParticipant
{
    public async Task MoveAsync(MemberMergeStep step, CancellationToken ct) =>
        step.Moved["marketplace_orders"] = await MarketplaceOrderStore.MoveToMemberAsync(step.Connection, step.Transaction, step.MergedId,
            step.SurvivorId, time.GetUtcNow().UtcDateTime, ct);
}
