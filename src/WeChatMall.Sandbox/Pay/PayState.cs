using System.Globalization;

namespace WeChatMall.Sandbox.Pay;

/// <summary>A JSAPI order as the sandbox's WeChat Pay keeps it.</summary>
public sealed record PayOrder
{
    public required string OutTradeNo { get; init; }
    public required string AppId { get; init; }
    public required string MchId { get; init; }
    public required string Description { get; init; }
    public required long Total { get; init; }
    public required string PayerOpenId { get; init; }
    public string? Attach { get; init; }
    public required string NotifyUrl { get; init; }
    public required string PrepayId { get; init; }
    public DateTimeOffset? TimeExpire { get; init; }
    /// <summary>NOTPAY, SUCCESS, CLOSED or REFUND.</summary>
    public string TradeState { get; init; } = "NOTPAY";
    public string? TransactionId { get; init; }
    public DateTimeOffset? SuccessTime { get; init; }
    public long Refunded { get; init; }
}

public sealed record PayRefund
{
    public required string OutRefundNo { get; init; }
    public required string RefundId { get; init; }
    public required string OutTradeNo { get; init; }
    public required string TransactionId { get; init; }
    public required long Refund { get; init; }
    public required long Total { get; init; }
    public string? NotifyUrl { get; init; }
    public string Status { get; init; } = "SUCCESS";
    public required DateTimeOffset CreateTime { get; init; }
    public DateTimeOffset? SuccessTime { get; init; }
}

/// <summary>Orders and refunds. Every transition happens under one lock, so concurrent calls see one state.</summary>
public sealed class PayState(TimeProvider time)
{
    static long _sequence = 1000;
    readonly Lock _lock = new();
    readonly Dictionary<string, PayOrder> _orders = new(StringComparer.Ordinal);
    readonly Dictionary<string, PayRefund> _refunds = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> _refundOutcomes = new(StringComparer.Ordinal);

    /// <summary>The next create of <paramref name="outRefundNo"/> ends CLOSED or ABNORMAL instead of SUCCESS (once).</summary>
    public void ArmRefundOutcome(string outRefundNo, string status)
    {
        lock (_lock) _refundOutcomes[outRefundNo] = status;
    }

    /// <summary>Called under <see cref="Locked{T}"/>: the armed outcome of this refund, consumed, or SUCCESS.</summary>
    public string TakeRefundOutcome(string outRefundNo)
    {
        lock (_lock) return _refundOutcomes.Remove(outRefundNo, out var status) ? status : "SUCCESS";
    }

    public T Locked<T>(Func<Dictionary<string, PayOrder>, Dictionary<string, PayRefund>, T> action)
    {
        lock (_lock) return action(_orders, _refunds);
    }

    public PayOrder? Order(string outTradeNo) => Locked((o, _) => o.GetValueOrDefault(outTradeNo));

    public PayOrder? OrderByTransactionId(string id) => Locked((o, _) => o.Values.FirstOrDefault(x => x.TransactionId == id));

    public PayRefund? Refund(string outRefundNo) => Locked((_, r) => r.GetValueOrDefault(outRefundNo));

    /// <summary>The simulated "user pays": NOTPAY → SUCCESS; null when the order cannot be paid.</summary>
    public PayOrder? MarkPaid(string outTradeNo) => Locked((orders, _) =>
    {
        if (!orders.TryGetValue(outTradeNo, out var order) || order.TradeState != "NOTPAY") return null;
        return orders[outTradeNo] = order with
        {
            TradeState = "SUCCESS",
            TransactionId = NewId("42000"),
            SuccessTime = time.GetUtcNow(),
        };
    });

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>WeChat-style ids: a prefix, the date in China, a sequence number.</summary>
    public string NewId(string prefix) =>
        prefix + time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMdd", CultureInfo.InvariantCulture)
        + Interlocked.Increment(ref _sequence).ToString("D10", CultureInfo.InvariantCulture);
}
