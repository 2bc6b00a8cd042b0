namespace WeChatMall.Api.Features.Orders;

/// <summary>Splits an amount over lines in proportion to their weights; the parts sum exactly to the amount.</summary>
public static class Shares
{
    public static long[] Split(long amount, IReadOnlyList<long> weights)
    {
        var total = weights.Sum();
        var parts = new long[weights.Count];
        var remainders = new (Int128 Rem, int Index)[weights.Count];
        long given = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = (Int128)amount * weights[i];
            parts[i] = (long)(exact / total);
            remainders[i] = (exact % total, i);
            given += parts[i];
        }
        // The leftover fen go one each to the lines with the largest remainders (ties: the earlier line).
        foreach (var (_, index) in remainders.OrderByDescending(r => r.Rem).ThenBy(r => r.Index).Take((int)(amount - given)))
            parts[index]++;
        return parts;
    }
}
