namespace WeChatMall.Api.Features.Loyalty;

/// <summary>
/// When a lot of points expires, from when it was earned. Every policy is monotonic in earned_at, so "oldest lot
/// first" (PointsLedger's debit order) is also "soonest-expiring first". Year boundaries are China time (UTC+8).
/// </summary>
public sealed record PointsExpiryPolicy(PointsExpiryKind Kind, int Days)
{
    static readonly TimeSpan China = TimeSpan.FromHours(8);

    public static PointsExpiryPolicy From(LoyaltyOptions o) => new(o.Expiry, o.ExpiryDays);

    /// <summary>When points earned at <paramref name="earnedAtUtc"/> expire (UTC), or null when they never do.</summary>
    public DateTime? ExpiresAt(DateTime earnedAtUtc) => Kind switch
    {
        PointsExpiryKind.EndOfFollowingYear => new DateTime((earnedAtUtc + China).Year + 2, 1, 1, 0, 0, 0, DateTimeKind.Utc) - China,
        PointsExpiryKind.Days => earnedAtUtc.AddDays(Days),
        _ => null,
    };

    /// <summary>Lots earned before this instant have expired at <paramref name="nowUtc"/>; null when nothing expires.</summary>
    public DateTime? EarnedBefore(DateTime nowUtc) => Kind switch
    {
        PointsExpiryKind.EndOfFollowingYear => new DateTime((nowUtc + China).Year - 1, 1, 1, 0, 0, 0, DateTimeKind.Utc) - China,
        PointsExpiryKind.Days => nowUtc.AddDays(-Days),
        _ => null,
    };
}
