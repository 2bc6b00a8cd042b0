namespace WeChatMall.Api.Features.Journeys;

/// <summary>
/// "Bought since?" (the branch condition and the "bought" goal) as SQL: a payment counts when it falls in the second
/// of the member's entry or later. WeChat Pay gives the payment time to the second while an entry is stamped to the
/// millisecond, so a purchase made in the same second as a follow or a step reads as earlier than it. An entry stamped
/// to the second is a payment itself (the paid triggers enter at the order's paid_at): that payment is not "since".
/// </summary>
public static class BoughtSince
{
    /// <summary>True when <paramref name="paidAt"/> (a column, to the second) is a payment since <paramref name="since"/>.</summary>
    public static string Sql(string paidAt, string since) =>
        $"({paidAt} >= {since} - INTERVAL MICROSECOND({since}) MICROSECOND AND {paidAt} <> {since})";
}
