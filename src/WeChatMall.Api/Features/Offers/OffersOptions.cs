using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Offers;

/// <summary>What day N of a sign-in cycle gives: points (through the ledger), a coupon of a template, draw chances.</summary>
public sealed class SignInReward
{
    [Range(1, 366)] public int Day { get; set; }
    [Range(0, 1_000_000)] public long Points { get; set; }
    public long? CouponTemplateId { get; set; }
    [Range(0, 100)] public int DrawChances { get; set; }
}

public sealed class OffersOptions : IValidatableObject
{
    public const string SectionName = "Offers";

    /// <summary>Days in a sign-in cycle; after day N the streak keeps counting and the cycle starts again at day 1.</summary>
    [Range(1, 366)] public int SignInCycleDays { get; set; } = 7;

    /// <summary>Rewards by cycle day (e.g. day 7: 50 points and a draw chance); a day not listed gives SignInDailyPoints.</summary>
    public List<SignInReward> SignInRewards { get; set; } = [];

    /// <summary>Points for a sign-in on a day without its own entry in SignInRewards.</summary>
    [Range(0, 1_000_000)] public long SignInDailyPoints { get; set; } = 10;

    /// <summary>Lucky-draw chances a member earns per paid order (0 = none).</summary>
    [Range(0, 100)] public int DrawChancesPerPaidOrder { get; set; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (SignInRewards.Any(r => r.Day < 1 || r.Day > SignInCycleDays))
            yield return new ValidationResult($"Every SignInRewards day is 1..{SignInCycleDays}.", [nameof(SignInRewards)]);
        if (SignInRewards.GroupBy(r => r.Day).Any(g => g.Count() > 1))
            yield return new ValidationResult("Each SignInRewards day appears once.", [nameof(SignInRewards)]);
    }

    public SignInReward RewardFor(int cycleDay) =>
        SignInRewards.FirstOrDefault(r => r.Day == cycleDay) ?? new SignInReward { Day = cycleDay, Points = SignInDailyPoints };
}
