using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Offers;

/// <summary>
/// A coupon template as the operator writes it. Kind amount_off: AmountOffFen off from ThresholdFen (满减; threshold 0 =
/// 无门槛). Kind percent_off: PercentOff % off, at most MaxDiscountFen (折扣). Scope all | products | categories (ScopeIds),
/// minus ExcludedProductIds and always minus flash-sale products (catalog flashSale). Validity: ValidFrom..ValidTo, or ValidDays after receipt.
/// TotalStock null = unlimited. Audience all | tiers (AudienceTiers) | new_members (no paid order yet).
/// </summary>
public sealed record CouponTemplateRequest(
    [property: Required, StringLength(64, MinimumLength = 1)] string Title,
    [property: StringLength(500)] string? Description,
    [property: StringLength(2000)] string? Terms,
    [property: Required] string Kind,
    [property: Range(0, 100_000_000)] long AmountOffFen,
    [property: Range(0, 99)] int PercentOff,
    [property: Range(1, 100_000_000)] long? MaxDiscountFen,
    [property: Range(0, 100_000_000)] long ThresholdFen,
    string? Scope,
    IReadOnlyList<long>? ScopeIds,
    IReadOnlyList<long>? ExcludedProductIds,
    DateTime? ValidFrom,
    DateTime? ValidTo,
    [property: Range(1, 3650)] int? ValidDays,
    [property: Range(1, 100_000_000)] int? TotalStock,
    [property: Range(1, 100)] int PerMemberLimit,
    string? Audience,
    IReadOnlyList<string>? AudienceTiers,
    bool CombinableWithTier,
    bool Claimable,
    [property: StringLength(32, MinimumLength = 4)] string? RedeemCode,
    [property: Range(1, 100_000_000)] long? GiftOnPaidFromFen,
    bool Active)
{
    public static readonly string[] Kinds = ["amount_off", "percent_off"];
    public static readonly string[] Scopes = ["all", "products", "categories"];
    public static readonly string[] Audiences = ["all", "tiers", "new_members"];

    public Dictionary<string, string[]> Validate()
    {
        var e = new Dictionary<string, string[]>();
        if (!Kinds.Contains(Kind)) e["kind"] = ["kind is amount_off or percent_off."];
        if (Kind == "amount_off" && AmountOffFen < 1) e["amountOffFen"] = ["An amount_off coupon takes at least 1 fen off."];
        if (Kind == "percent_off" && PercentOff < 1) e["percentOff"] = ["A percent_off coupon takes 1 to 99 % off."];
        if (Scope is not null && !Scopes.Contains(Scope)) e["scope"] = ["scope is all, products or categories."];
        if (Scope is "products" or "categories" && ScopeIds is not { Count: > 0 }) e["scopeIds"] = ["A scoped coupon names its products or categories."];
        if (ScopeIds is { Count: > 500 } || ExcludedProductIds is { Count: > 500 }) e["scopeIds"] = ["At most 500 ids."];
        if ((ValidDays is null) == (ValidTo is null)) e["validDays"] = ["Give either validDays (after receipt) or validTo (fixed dates)."];
        if (ValidFrom is { } f && ValidTo is { } t && t <= f) e["validTo"] = ["validTo is after validFrom."];
        if (Audience is not null && !Audiences.Contains(Audience)) e["audience"] = ["audience is all, tiers or new_members."];
        if (Audience == "tiers" && AudienceTiers is not { Count: > 0 }) e["audienceTiers"] = ["A tiers audience names its tier codes."];
        if (RedeemCode is not null && !RedeemCode.All(char.IsAsciiLetterOrDigit)) e["redeemCode"] = ["redeemCode is 4 to 32 letters and digits."];
        return e;
    }
}

public sealed record CouponTemplateDto(long Id, string Title, string Description, string Terms, string Kind, long AmountOffFen, int PercentOff,
    long? MaxDiscountFen, long ThresholdFen, string Scope, IReadOnlyList<long> ScopeIds, IReadOnlyList<long> ExcludedProductIds,
    DateTime? ValidFrom, DateTime? ValidTo, int? ValidDays, int? TotalStock, int Issued, int PerMemberLimit, string Audience,
    IReadOnlyList<string> AudienceTiers, bool CombinableWithTier, bool Claimable, string? RedeemCode, long? GiftOnPaidFromFen, bool Active,
    DateTime CreatedAt);
