namespace WeChatMall.Api.Features.Payments;

/// <summary>
/// The state machine of one refund (one out_refund_no), in one place. requested (a shopper asked) → processing | rejected;
/// processing (submitted, or to be submitted) → succeeded | closed | abnormal | failed, as WeChat Pay answers;
/// closed | abnormal | failed → processing: retried under the SAME out_refund_no (WeChat Pay's idempotency key, so it
/// can never become a second refund); closed | abnormal | failed → settled_offline: an operator paid the money back
/// outside WeChat Pay (audited in refund_events); abnormal → succeeded: resolved in the merchant console.
/// Every move goes through <see cref="RefundStore.TryMoveAsync"/>, which refuses anything not listed here.
/// </summary>
public static class RefundStatus
{
    public const string Requested = "requested";
    public const string Processing = "processing";
    public const string Succeeded = "succeeded";
    public const string Closed = "closed";
    public const string Abnormal = "abnormal";
    public const string Failed = "failed";
    public const string Rejected = "rejected";
    public const string SettledOffline = "settled_offline";

    public static readonly IReadOnlyList<string> All = [Requested, Processing, Succeeded, Closed, Abnormal, Failed, Rejected, SettledOffline];

    static readonly Dictionary<string, string[]> Allowed = new()
    {
        [Requested] = [Processing, Rejected],
        [Processing] = [Succeeded, Closed, Abnormal, Failed],
        [Closed] = [Processing, SettledOffline],
        [Abnormal] = [Processing, SettledOffline, Succeeded],
        [Failed] = [Processing, SettledOffline],
    };

    public static bool CanMove(string from, string to) => Allowed.TryGetValue(from, out var next) && next.Contains(to);

    /// <summary>Stuck: WeChat Pay did not pay it back, an operator must retry it or settle it offline.</summary>
    public static readonly string[] NeedsOperator = [Closed, Abnormal, Failed];

    /// <summary>
    /// Counted against the order's money: asked for, in flight, paid back, or abnormal (WeChat Pay took it; the bank
    /// refused it — paying it again would pay twice). Closed and failed are not: a retry checks the remainder again.
    /// </summary>
    public static readonly string[] Committed = [Requested, Processing, Succeeded, Abnormal, SettledOffline];
}

public static class RefundSource
{
    public const string Admin = "admin";
    public const string Shopper = "shopper";
    public const string LatePayment = "late_payment";
}

/// <summary>out_refund_no values: derived from the order number, so they are readable and never collide across orders.</summary>
public static class RefundNumbers
{
    public static string Numbered(string orderNo, int n) => $"{orderNo}-R{n}";
    public static string LatePayment(string orderNo) => $"{orderNo}-RL";
}
