namespace WeChatMall.Api.Features.Members;

/// <summary>
/// The loyalty parts of /api/me and of the admin member detail. Members owns this contract and its shapes;
/// Features/Loyalty implements it (LoyaltyQueries), so Members reads loyalty data without depending on Loyalty.
/// </summary>
public interface IMemberLoyaltyView
{
    Task<MeLoyaltyDto?> ForMeAsync(long memberId, CancellationToken ct);

    Task<MemberReferralDto?> ReferralAsync(long memberId, CancellationToken ct);
}

/// <summary>Referral data an operator sees on the member detail page.</summary>
public sealed record MemberReferralDto(long? ReferrerId, DateTime? ReferredAt, long RefereeCount);

/// <summary>The member's tier as /api/me shows it, and how far the next one is.</summary>
public sealed record MeTierDto(string? Code, string? Name, int DiscountBasisPoints, int PointsMultiplierPercent,
    long LifetimeSpendFen, long LifetimePointsEarned, NextTierDto? Next);

/// <summary>SpendFenToGo / PointsToGo: what is still missing on each threshold the next tier has (null = not used).</summary>
public sealed record NextTierDto(string Code, string Name, long? SpendFenToGo, long? PointsToGo);

/// <summary>The loyalty part of /api/me.</summary>
/// <summary>PointsOwed: points a refund took back after they were spent; later earnings settle them first, and no points can be used meanwhile.</summary>
public sealed record MeLoyaltyDto(MeTierDto Tier, string InviteCode, string? InviteLink, bool HasReferrer, long RefereeCount, long PointsOwed);
