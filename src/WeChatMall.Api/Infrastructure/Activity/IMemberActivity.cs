using System.Data.Common;

namespace WeChatMall.Api.Infrastructure.Activity;

/// <summary>
/// What lower features (Members, Payments, Callback) tell the audience about a member, inside their own transaction, so
/// the member's stats, RFM group and rule tags commit or roll back with the change. Defined here, below every feature,
/// and implemented by Features/Audience, so the audience can read the others without them depending on it.
/// </summary>
public interface IMemberActivity
{
    /// <summary>Orders, refunds, identities or loyalty of these members changed in <paramref name="tx"/>.</summary>
    Task MembersChangedAsync(DbConnection c, DbTransaction tx, IReadOnlyCollection<long> memberIds, CancellationToken ct);

    /// <summary>Followers with these Official Account openids followed, unfollowed, scanned or wrote in <paramref name="tx"/>.</summary>
    Task FollowersChangedAsync(DbConnection c, DbTransaction tx, IReadOnlyCollection<string> openIds, CancellationToken ct);
}
