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
    const string CountedOrder = "o.status IN ('paid', 'shipped', 'completed') AND o.refund_state <> 'refunded'";
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
        new("ordersWithin", FieldKind.Number, InWindow("0", "1", "2", "3", "4", "s.paid_orders", "COUNT(*)"), Extra: "days"),
        new("spendWithin", FieldKind.Number, InWindow("0", "s.last1_net_fen", "s.last2_net_fen", "s.last3_net_fen",
            "s.last3_net_fen", "s.net_spend_fen", "COALESCE(SUM(o.payable_fen - o.refunded_fen), 0)"), Extra: "days"),
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

    /// <summary>
    /// A window figure from the member's four most recent counted orders kept in member_stats: with none of them since
    /// {since} it is <paramref name="none"/>, with only the most recent one <paramref name="one"/>, and so on. A member
    /// with four or more orders in the window has a figure between <paramref name="atLeast"/> (what the kept orders add
    /// up to; no order counts below zero) and <paramref name="atMost"/> (all their counted orders). When both ends lie on
    /// the same side of every value the rule names — the low end above its {bound} (its value, the high end of a
    /// between), or the high end below its {low} (its value, the low end of a between) — the figure and that end compare
    /// alike under every operator, so only the other members read their orders (<paramref name="aggregate"/>, member-first
    /// index). CASE evaluates that subquery for them alone.
    /// </summary>
    static string InWindow(string none, string one, string two, string three, string atLeast, string atMost, string aggregate) => $"""
        (CASE WHEN {Before("s.last_paid_at")} THEN {none} WHEN {Before("s.last2_paid_at")} THEN {one}
              WHEN {Before("s.last3_paid_at")} THEN {two} WHEN {Before("s.last4_paid_at")} THEN {three}
              WHEN {atLeast} > {"{bound}"} THEN {atLeast} WHEN {atMost} < {"{low}"} THEN {atMost}
              ELSE (SELECT {aggregate} FROM orders o WHERE {Counted} AND o.paid_at >= {"{since}"}) END)
        """;

    static string Before(string paidAt) => $"({paidAt} IS NULL OR {paidAt} < {"{since}"})";

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
