using System.Data.Common;

namespace WeChatMall.Api.Features.Members;

/// <summary>
/// A feature that keeps rows per member (orders, carts and addresses, referrals) moves them to the survivor when two
/// members are merged: <see cref="MemberMerger"/> calls every registered participant inside the merge's transaction,
/// with both members rows locked, after moving Members' own rows. Members owns the contract, so it never depends on
/// the features that implement it.
/// </summary>
public interface IMemberMergeParticipant
{
    Task MoveAsync(MemberMergeStep step, CancellationToken ct);
}

/// <summary>The merge in progress; a participant adds the number of rows it moved per table to <see cref="Moved"/> (the audit).</summary>
public sealed record MemberMergeStep(DbConnection Connection, DbTransaction Transaction, long SurvivorId, long MergedId,
    IDictionary<string, int> Moved);
