using System.Data.Common;

namespace WeChatMall.Api.Features.Followers;

/// <summary>
/// A higher feature that learns from follower events (e.g. Channels counting QR scans) without the callback knowing
/// it: called with the events that are new in this batch (a WeChat retry never reaches it twice), inside the
/// transaction that logs them, after the follower rows are updated. It must not call out of the database.
/// </summary>
public interface IFollowerEventObserver
{
    Task ObserveAsync(DbConnection c, DbTransaction tx, IReadOnlyList<FollowerEvent> events, CancellationToken ct);
}
