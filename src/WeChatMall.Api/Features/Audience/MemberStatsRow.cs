using System.Text.Json.Serialization;

namespace WeChatMall.Api.Features.Audience;

/// <summary>One member_stats row: what the member did, as recomputed from the source tables.</summary>
public sealed record MemberStatsRow
{
    public long MemberId { get; init; }
    public DateTime? FirstPaidAt { get; init; }
    public DateTime? LastPaidAt { get; init; }
    // What segments' window fields read: the second to fourth most recent counted orders and the net spend of the latest
    // one to three. Internal to segments, so not part of the member's stats answer.
    [JsonIgnore] public DateTime? Last2PaidAt { get; init; }
    [JsonIgnore] public DateTime? Last3PaidAt { get; init; }
    [JsonIgnore] public DateTime? Last4PaidAt { get; init; }
    [JsonIgnore] public long Last1NetFen { get; init; }
    [JsonIgnore] public long Last2NetFen { get; init; }
    [JsonIgnore] public long Last3NetFen { get; init; }
    public int PaidOrders { get; init; }
    public long NetSpendFen { get; init; }
    public long AvgOrderFen { get; init; }
    public string? FirstChannel { get; init; }
    public bool Following { get; init; }
    public DateTime? LastInteractionAt { get; init; }
    public DateTime? WindowUntil { get; init; }
    public bool MarketplaceCustomer { get; init; }
    public string? RfmGroup { get; init; }
    public int RScore { get; init; }
    public int FScore { get; init; }
    public int MScore { get; init; }

    public const string Columns = """
        member_id AS MemberId, first_paid_at AS FirstPaidAt, last_paid_at AS LastPaidAt, last2_paid_at AS Last2PaidAt,
        last3_paid_at AS Last3PaidAt, last4_paid_at AS Last4PaidAt, last1_net_fen AS Last1NetFen, last2_net_fen AS Last2NetFen,
        last3_net_fen AS Last3NetFen, paid_orders AS PaidOrders,
        net_spend_fen AS NetSpendFen, avg_order_fen AS AvgOrderFen, first_channel AS FirstChannel, following AS Following,
        last_interaction_at AS LastInteractionAt, window_until AS WindowUntil, marketplace_customer AS MarketplaceCustomer,
        rfm_group AS RfmGroup, r_score AS RScore, f_score AS FScore, m_score AS MScore
        """;
}
