using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Loyalty;

public enum PointsExpiryKind { EndOfFollowingYear, Days, Never }

public sealed class LoyaltyOptions
{
    public const string SectionName = "Loyalty";

    /// <summary>Points earned per yuan paid, unless the product sets catalog_products.points_per_yuan.</summary>
    [Range(0, 1000)] public int PointsPerYuan { get; set; } = 1;

    /// <summary>Extra points for a member's first paid order (once per member, ever). 0 = none.</summary>
    [Range(0, 1_000_000)] public long FirstOrderBonusPoints { get; set; }

    /// <summary>Points paid to the referrer when a referee's first order is paid (once per referee, ever). 0 = none.</summary>
    [Range(0, 1_000_000)] public long ReferralRewardPoints { get; set; }

    /// <summary>At checkout: this many points pay one yuan.</summary>
    [Range(1, 100_000)] public int RedeemPointsPerYuan { get; set; } = 100;

    /// <summary>At checkout: points may pay at most this percentage of the order.</summary>
    [Range(0, 100)] public int RedeemMaxPercentOfOrder { get; set; } = 50;

    /// <summary>EndOfFollowingYear (points earned in 2025 expire at the end of 2026, China time), Days, or Never.</summary>
    public PointsExpiryKind Expiry { get; set; } = PointsExpiryKind.EndOfFollowingYear;

    /// <summary>With Expiry = Days: points expire this many days after they were earned.</summary>
    [Range(1, 36_500)] public int ExpiryDays { get; set; } = 365;

    /// <summary>Base of the invite link shown on /api/me as "{InviteBaseUrl}?invite=CODE". Empty: no link, only the code.</summary>
    [Url] public string? InviteBaseUrl { get; set; }

    /// <summary>How long tier definitions are cached in each instance after a read (writes clear this instance's cache).</summary>
    [Range(0, 3600)] public int TierCacheSeconds { get; set; } = 30;
}
