namespace WeChatMall.Api.Features.Payments;

/// <summary>What the payment paths read of an order.</summary>
public sealed record PayOrderRow
{
    public long Id { get; init; }
    public string OrderNo { get; init; } = "";
    public long MemberId { get; init; }
    public string Status { get; init; } = "";
    public long PayableFen { get; init; }
    public long RefundedFen { get; init; }
    public long PointsUsed { get; init; }
    public string? PrepayId { get; init; }
    public DateTime? PrepayAt { get; init; }
    public string? PayerOpenid { get; init; }
    public string? TransactionId { get; init; }
    public DateTime ExpiresAt { get; init; }
    public DateTime? RevivedAt { get; init; }

    public const string Columns = """
        id, order_no, member_id, status, payable_fen, refunded_fen, points_used, prepay_id, prepay_at, payer_openid,
        transaction_id, expires_at, revived_at
        """;
}

/// <summary>The outcomes recorded in pay_notifications.outcome.</summary>
public static class PayOutcome
{
    public const string Applied = "applied";
    public const string Duplicate = "duplicate";
    public const string Late = "late";
    public const string UnknownOrder = "unknown_order";
    public const string Mismatch = "mismatch";
    public const string Ignored = "ignored";

    /// <summary>Acknowledged to WeChat Pay (2xx): it must stop retrying. Anything else is alarmed and refused.</summary>
    public static bool Acknowledge(string outcome) => outcome is Applied or Duplicate or Late or Ignored;
}

public sealed record ApplyResult(string Outcome, string? Detail);
