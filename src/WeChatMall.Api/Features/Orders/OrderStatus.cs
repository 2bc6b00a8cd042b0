namespace WeChatMall.Api.Features.Orders;

/// <summary>
/// The fulfilment state machine, in one place: pending_payment → paid → shipped → completed; pending_payment → cancelled.
/// A payment that succeeded at WeChat Pay but is learnt after our expiry cancelled the order moves cancelled → paid
/// (revived, stock allowing); otherwise the order stays cancelled and is refunded in full.
/// Money going back is a separate machine (<see cref="OrderRefundState"/>): a partially refunded order still ships and
/// completes; a fully refunded order is never shipped (<see cref="CanShip"/>).
/// Every status change goes through <see cref="OrderTransitions"/>, which refuses anything not listed here.
/// </summary>
public static class OrderStatus
{
    public const string PendingPayment = "pending_payment";
    public const string Paid = "paid";
    public const string Shipped = "shipped";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [PendingPayment, Paid, Shipped, Completed, Cancelled];

    static readonly Dictionary<string, string[]> Allowed = new()
    {
        [PendingPayment] = [Paid, Cancelled],
        [Paid] = [Shipped],
        [Shipped] = [Completed],
        [Cancelled] = [Paid],
    };

    public static bool CanMove(string from, string to) => Allowed.TryGetValue(from, out var next) && next.Contains(to);

    /// <summary>The guard the refund machine puts on fulfilment: money fully returned ends an unshipped order.</summary>
    public static bool CanShip(string refundState) => refundState != OrderRefundState.Refunded;
}
