namespace WeChatMall.Api.Features.Metrics;

/// <summary>One China day of members and followers. Totals are as of the end of the day.</summary>
public sealed record GrowthDayDto(DateOnly Day, long NewMembers, long TotalMembers, long NewFollowers, long LostFollowers, long NetFollowers,
    long TotalFollowers);

public sealed record GrowthDto(DateOnly From, DateOnly To, long NewMembers, long NewFollowers, long LostFollowers, long NetFollowers,
    IReadOnlyList<GrowthDayDto> Days);

/// <summary>
/// One China day of revenue, net of refunds, in fen. Own channel: the mall's orders by their payment day. Imported:
/// marketplace orders by their marketplace payment day; ImportedMemberRevenueFen: those matched to or claimed by a member.
/// </summary>
public sealed record RevenueDayDto(DateOnly Day, long PaidOrders, long Buyers, long RevenueFen, long AverageOrderFen, long ImportedOrders,
    long ImportedRevenueFen, long ImportedMemberRevenueFen);

/// <summary>
/// The period's totals. TotalRevenueFen = own + imported; MemberRevenueFen = own (every own-channel buyer is a member)
/// + imported member revenue; MemberShare = MemberRevenueFen / TotalRevenueFen (null when there is no revenue).
/// </summary>
public sealed record RevenueDto(DateOnly From, DateOnly To, long PaidOrders, long RevenueFen, long AverageOrderFen, long ImportedOrders,
    long ImportedRevenueFen, long TotalRevenueFen, long MemberRevenueFen, double? MemberShare, IReadOnlyList<RevenueDayDto> Days);

/// <summary>Buyers of the period (own channel) and those with two or more paid orders in it.</summary>
public sealed record RepurchaseDto(DateOnly From, DateOnly To, long Buyers, long RepeatBuyers, double? Rate);

/// <summary>
/// Buyers whose first purchase fell in the cohort; Repeat30: those whose second purchase came within 30 days of the
/// first (R30 = Repeat30 / Customers); AverageLtv30Fen: average net spend within 30 days of the first purchase.
/// Mature30: every buyer of the cohort has had 30 days since their first purchase (until then R30 can still grow).
/// </summary>
public sealed record CohortDto(string Cohort, long Customers, long Repeat30, long Repeat60, long Repeat90, double? R30, double? R60, double? R90,
    long AverageLtv30Fen, long AverageLtv90Fen, long AverageLtv180Fen, long AverageLtv365Fen, long AverageLtvFen,
    bool Mature30, bool Mature60, bool Mature90, bool Mature180, bool Mature365);

public sealed record CohortsDto(DateOnly From, DateOnly To, CohortDto Total, IReadOnlyList<CohortDto> Months);

/// <summary>Buyers whose lifetime net spend is at least MinFen and below MaxFen (null: no upper bound).</summary>
public sealed record LtvBucketDto(long MinFen, long? MaxFen, long Buyers);

public sealed record LtvDistributionDto(DateOnly? From, DateOnly? To, long Buyers, long AverageLtvFen, IReadOnlyList<LtvBucketDto> Buckets);

public sealed record TopCustomerDto(long MemberId, long PaidOrders, long NetFen, DateTime FirstPaidAt, DateTime LastPaidAt);

public sealed record RollupDto(int Buyers, int Days, int Cohorts, DateTime Watermark);
