namespace WeChatMall.Api.Features.Offers;

/// <summary>
/// A member coupon's state machine, in one place: available → locked (with an order) → used (the order paid);
/// locked → available (the order was cancelled or expired); used → available (the order was fully refunded; a partial
/// refund keeps it used); available → used (a cancelled order revived by a late payment takes its coupon back);
/// available → expired (past valid_to, by <see cref="CouponExpiryJob"/>).
/// </summary>
public static class CouponStatus
{
    public const string Available = "available";
    public const string Locked = "locked";
    public const string Used = "used";
    public const string Expired = "expired";

    public static readonly IReadOnlyList<string> All = [Available, Locked, Used, Expired];

    static readonly Dictionary<string, string[]> Allowed = new()
    {
        [Available] = [Locked, Expired, Used],
        [Locked] = [Used, Available],
        [Used] = [Available],
    };

    public static bool CanMove(string from, string to) => Allowed.TryGetValue(from, out var next) && next.Contains(to);
}
