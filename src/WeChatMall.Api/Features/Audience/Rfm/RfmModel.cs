namespace WeChatMall.Api.Features.Audience.Rfm;

public readonly record struct RfmScore(string? Group, int R, int F, int M);

/// <summary>
/// Thresholds for the eight groups and quintile cut points (the values at 20/40/60/80 % of buyers) for the 1–5 scores.
/// Members with no paid order have no group and scores 0.
/// </summary>
public sealed record RfmModel(double RDays, double FOrders, double MFen, double[] RCuts, double[] FCuts, double[] MCuts)
{
    public static readonly RfmModel Empty = new(0, 0, 0, [], [], []);

    public RfmScore Classify(DateTime? lastPaidAt, int paidOrders, long netSpendFen, DateTime now)
    {
        if (paidOrders == 0 || lastPaidAt is not { } last) return new(null, 0, 0, 0);
        var days = DaysSince(last, now);
        var group = RfmGroups.Of(days < RDays, paidOrders > FOrders, netSpendFen > MFen);
        // Fewer days is better for R; more is better for F and M.
        return new(group, 1 + RCuts.Count(c => days < c), 1 + FCuts.Count(c => paidOrders > c), 1 + MCuts.Count(c => netSpendFen > c));
    }

    public static int DaysSince(DateTime last, DateTime now) => Math.Max(0, (int)Math.Floor((now - last).TotalDays));
}
