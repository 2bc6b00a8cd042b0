using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Loyalty;

/// <summary>A tier: reached by lifetime spend (fen) or lifetime points earned, whichever threshold is set and met first.</summary>
public sealed record TierDto(long Id, string Code, string Name, int Rank, long? MinSpendFen, long? MinPointsEarned,
    int DiscountBasisPoints, int PointsMultiplierPercent, DateTime CreatedAt, DateTime UpdatedAt)
{
    public bool Reached(long spendFen, long pointsEarned) =>
        (MinSpendFen is { } s && spendFen >= s) || (MinPointsEarned is { } p && pointsEarned >= p);

    public MemberBenefits Benefits => new(Code, Name, DiscountBasisPoints, PointsMultiplierPercent);
}

public sealed class TierRequest
{
    [Required, StringLength(32, MinimumLength = 1), RegularExpression("^[A-Za-z0-9_-]+$")] public string Code { get; init; } = "";
    [Required, StringLength(64, MinimumLength = 1)] public string Name { get; init; } = "";
    /// <summary>Higher rank = better tier; unique.</summary>
    [Range(1, 1000)] public int Rank { get; init; }
    /// <summary>Lifetime spend (fen) that reaches this tier; null = not by spend.</summary>
    [Range(0, long.MaxValue)] public long? MinSpendFen { get; init; }
    /// <summary>Lifetime points earned that reach this tier; null = not by points.</summary>
    [Range(0, long.MaxValue)] public long? MinPointsEarned { get; init; }
    /// <summary>Discount at checkout and on product detail prices, in basis points: 500 = 5 % off. 0 to 5000.</summary>
    [Range(0, 5000)] public int DiscountBasisPoints { get; init; }
    /// <summary>Points earned on orders ×percent/100: 150 = ×1.5. 100 to 1000.</summary>
    [Range(100, 1000)] public int PointsMultiplierPercent { get; init; } = 100;
}
