namespace WeChatMall.Api.Features.Orders;

/// <summary>
/// How much of an order's money went back, in one place: none → partially_refunded → refunded (or none → refunded at
/// once); another partial refund keeps partially_refunded. It moves only when a refund's money has gone back (WeChat Pay
/// said SUCCESS, or an operator settled it offline), through <see cref="OrderTransitions.RecordRefundAsync"/>.
/// Refunds in flight are the refunds' own state (Payments' RefundStatus), not the order's.
/// </summary>
public static class OrderRefundState
{
    public const string None = "none";
    public const string PartiallyRefunded = "partially_refunded";
    public const string Refunded = "refunded";

    public static readonly IReadOnlyList<string> All = [None, PartiallyRefunded, Refunded];

    static readonly Dictionary<string, string[]> Allowed = new()
    {
        [None] = [PartiallyRefunded, Refunded],
        [PartiallyRefunded] = [PartiallyRefunded, Refunded],
    };

    public static bool CanMove(string from, string to) => Allowed.TryGetValue(from, out var next) && next.Contains(to);

    /// <summary>The state once <paramref name="refundedFen"/> of <paramref name="payableFen"/> has gone back.</summary>
    public static string For(long refundedFen, long payableFen)
        => refundedFen >= payableFen ? Refunded : refundedFen > 0 ? PartiallyRefunded : None;
}
