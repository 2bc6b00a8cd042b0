using System.Data.Common;
using WeChatMall.Api.Features.Followers;
using WeChatMall.Api.Infrastructure.Activity;

namespace WeChatMall.Api.Features.Audience;

/// <summary>
/// Keeps following, last interaction and the customer-service window of the members behind the openids of a callback
/// batch current, in the transaction that logs the batch.
/// </summary>
public sealed class FollowerActivityObserver(IMemberActivity activity) : IFollowerEventObserver
{
    public Task ObserveAsync(DbConnection c, DbTransaction tx, IReadOnlyList<FollowerEvent> events, CancellationToken ct) =>
        activity.FollowersChangedAsync(c, tx, events.Where(e => e.Change != FollowerChange.None)
            .Select(e => e.OpenId).Distinct(StringComparer.Ordinal).ToList(), ct);
}
