using System.Globalization;

namespace WeChatMall.Api.Features.Audience.Segments;

/// <summary>What a segment field holds, which decides its operators and how its value is read.</summary>
public enum FieldKind { Number, Date, Flag, Text, Ids, Hours, RfmGroup }

/// <summary>
/// A field a rule may name: its kind and the SQL expression it stands for (over member_stats s and members m, built
/// from fixed text only; values always go in as parameters). Extra: "days" (a window starting at {since}) or "template"
/// (a subscribe template).
/// </summary>
public sealed record SegmentField(string Name, FieldKind Kind, string Sql, bool UsesMembers = false, string? Extra = null);

public static class SegmentFields
{
    // Orders that count: paid, shipped or completed, and not fully refunded (as in member_stats).
    public const string CountedOrder = "o.status IN ('paid', 'shipped', 'completed') AND o.refund_state <> 'refunded'";
    const string Counted = "o.member_id = s.member_id AND " + CountedOrder;

    public static readonly IReadOnlyDictionary<string, SegmentField> All = new SegmentField[]
    {
        new("tier", FieldKind.Text, "m.tier", UsesMembers: true),
        new("points", FieldKind.Number, "m.points_balance", UsesMembers: true),
        new("memberSince", FieldKind.Date, "m.created_at", UsesMembers: true),
        new("tag", FieldKind.Ids, "EXISTS (SELECT 1 FROM member_tags t WHERE t.member_id = s.member_id AND t.tag_id IN {0})"),
        new("channel", FieldKind.Text, "s.first_channel"),
        new("following", FieldKind.Flag, "s.following"),
        new("firstPurchaseAt", FieldKind.Date, "s.first_paid_at"),
        new("lastPurchaseAt", FieldKind.Date, "s.last_paid_at"),
        new("paidOrders", FieldKind.Number, "s.paid_orders"),
        new("netSpendFen", FieldKind.Number, "s.net_spend_fen"),
        new("avgOrderFen", FieldKind.Number, "s.avg_order_fen"),
        new("ordersWithin", FieldKind.Number, InWindow(k => k.ToString(CultureInfo.InvariantCulture), "COUNT(*)"), Extra: "days"),
        new("spendWithin", FieldKind.Number, InWindow(k => k == 0 ? "0" : $"s.last{k}_net_fen", "COALESCE(SUM(o.payable_fen - o.refunded_fen), 0)"),
            Extra: "days"),
        new("boughtProduct", FieldKind.Ids,
            $"EXISTS (SELECT 1 FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE {Counted} AND l.product_id IN {{0}})"),
        new("boughtCategory", FieldKind.Ids, $$"""
            EXISTS (SELECT 1 FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN catalog_products p ON p.id = l.product_id
                    WHERE {{Counted}} AND (p.category_id IN {0} OR p.category_id IN (SELECT c.id FROM catalog_categories c WHERE c.parent_id IN {0})))
            """),
        new("lastInteraction", FieldKind.Hours, "s.last_interaction_at"),
        new("windowOpen", FieldKind.Flag, "(s.window_until IS NOT NULL AND s.window_until > {now})"),
        new("subscribeCredit", FieldKind.Number,
            "COALESCE((SELECT sc.credits FROM member_subscribe_credits sc WHERE sc.member_id = s.member_id AND sc.template_id = {template}), 0)",
            Extra: "template"),
        new("rfmGroup", FieldKind.RfmGroup, "s.rfm_group"),
        new("rScore", FieldKind.Number, "s.r_score"),
        new("fScore", FieldKind.Number, "s.f_score"),
        new("mScore", FieldKind.Number, "s.m_score"),
        new("marketplaceCustomer", FieldKind.Flag, "s.marketplace_customer"),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>How many of a member's most recent counted orders member_stats keeps (last_paid_at, last2_paid_at, …).</summary>
    public const int RecentOrders = 8;

    /// <summary>
    /// A window figure from the member's most recent counted orders kept in member_stats: with k of them since {since}
    /// (k below <see cref="RecentOrders"/>) it is <paramref name="ofLatest"/>(k); only a member whose oldest kept order
    /// is in the window reads the window's orders (<paramref name="aggregate"/>, through the member-first index), and
    /// CASE evaluates that subquery for those members alone.
    /// </summary>
    static string InWindow(Func<int, string> ofLatest, string aggregate) =>
        "(CASE " + string.Concat(Enumerable.Range(0, RecentOrders).Select(k => $"WHEN {Before(RecentPaidAt(k + 1))} THEN {ofLatest(k)} "))
        + $"ELSE (SELECT {aggregate} FROM orders o WHERE {Counted} AND o.paid_at >= {{since}}) END)";

    /// <summary>The column of the k-th most recent counted order's time (k from 1).</summary>
    public static string RecentPaidAt(int k) => k == 1 ? "s.last_paid_at" : $"s.last{k}_paid_at";

    static string Before(string paidAt) => $"({paidAt} IS NULL OR {paidAt} < {{since}})";

    public static IReadOnlyList<string> Operators(FieldKind kind) => kind switch
    {
        FieldKind.Number => ["=", "!=", ">", ">=", "<", "<=", "between"],
        FieldKind.Date => [">=", "<", "between", "withinDays", "notWithinDays", "isNull", "isNotNull"],
        FieldKind.Flag => ["="],
        FieldKind.Text => ["=", "!=", "in", "notIn", "isNull", "isNotNull"],
        FieldKind.Ids => ["in", "notIn"],
        FieldKind.Hours => ["withinHours", "notWithinHours", "isNull", "isNotNull"],
        FieldKind.RfmGroup => ["=", "in", "notIn", "isNull", "isNotNull"],
        _ => [],
    };
}
