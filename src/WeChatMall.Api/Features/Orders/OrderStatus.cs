namespace WeChatMall.Api.Features.Orders;

/// <summary>
/// The order state machine, in one place. pending_payment → paid → shipped → completed; pending_payment → cancelled;
/// paid/shipped/completed → refunding → refunded (and refunded → refunding again while money remains, for another
/// partial refund). A payment that succeeded at WeChat Pay but is learnt after our expiry cancelled the order moves
/// cancelled → paid (revived, stock allowing) or cancelled → refunding (refunded automatically).
/// Every status change goes through <see cref="OrderTransitions"/>, which refuses anything not listed here.
/// </summary>
public static class OrderStatus
{
    public const string PendingPayment = "pending_payment";
    public const string Paid = "paid";
    public const string Shipped = "shipped";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public const string Refunding = "refunding";
    public const string Refunded = "refunded";

    public static readonly IReadOnlyList<string> All = [PendingPayment, Paid, Shipped, Completed, Cancelled, Refunding, Refunded];

    static readonly Dictionary<string, string[]> Allowed = new()
    {
        [PendingPayment] = [Paid, Cancelled],
        [Paid] = [Shipped, Refunding],
        [Shipped] = [Completed, Refunding],
        [Refunding] = [Refunded],
        [Completed] = [Refunding],
        [Cancelled] = [Paid, Refunding],
        [Refunded] = [Refunding],
    };

    public static bool CanMove(string from, string to) => Allowed.TryGetValue(from, out var next) && next.Contains(to);
}
