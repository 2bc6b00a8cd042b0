namespace WeChatMall.Api.Features.Payments;

static partial class Log
{
    [LoggerMessage(9001, LogLevel.Warning, "WeChat Pay is not configured ({Error}): {Message}")]
    public static partial void PayNotConfigured(ILogger logger, string error, string message);

    [LoggerMessage(9002, LogLevel.Information, "Order {OrderNo} paid ({Actor})")]
    public static partial void OrderPaid(ILogger logger, string orderNo, string actor);

    [LoggerMessage(9003, LogLevel.Warning, "Order {OrderNo} was paid after expiry and revived")]
    public static partial void LatePaymentRevived(ILogger logger, string orderNo);

    [LoggerMessage(9004, LogLevel.Warning, "Order {OrderNo} was paid after expiry; stock or points are gone, refunding in full")]
    public static partial void LatePaymentRefunded(ILogger logger, string orderNo);

    [LoggerMessage(9005, LogLevel.Information, "No paid message for order {OrderNo}: Payments:PaidTemplateId or the payer openid is missing")]
    public static partial void PaidMessageSkipped(ILogger logger, string orderNo);

    [LoggerMessage(9006, LogLevel.Error, "ALARM WeChat Pay notification {Event} for {OutTradeNo} not applied: {Outcome} ({Detail})")]
    public static partial void NotificationRejected(ILogger logger, string @event, string? outTradeNo, string outcome, string? detail);

    [LoggerMessage(9007, LogLevel.Warning, "WeChat Pay notification refused before decryption: {Status} {Signature}")]
    public static partial void NotificationUnverified(ILogger logger, string status, string signature);

    [LoggerMessage(9008, LogLevel.Error, "Refund {OutRefundNo} refused by WeChat Pay: {Code} (Request-ID {RequestId})")]
    public static partial void RefundRefused(ILogger logger, string outRefundNo, string code, string requestId);

    [LoggerMessage(9009, LogLevel.Error, "ALARM Refund {OutRefundNo} is {Status} at WeChat Pay: an operator retries it or settles it offline (admin refund endpoints)")]
    public static partial void RefundNotSucceeded(ILogger logger, string outRefundNo, string status);

    [LoggerMessage(9010, LogLevel.Information, "Order {OrderNo} refund {OutRefundNo} of {AmountFen} fen succeeded")]
    public static partial void RefundSucceeded(ILogger logger, string orderNo, string outRefundNo, long amountFen);

    [LoggerMessage(9011, LogLevel.Information, "Closing order {OrderNo} found it paid: {Outcome}")]
    public static partial void CloseFoundPaid(ILogger logger, string orderNo, string outcome);

    [LoggerMessage(9012, LogLevel.Information, "Reconciliation: order {OrderNo} {Outcome}")]
    public static partial void Reconciled(ILogger logger, string orderNo, string outcome);

    [LoggerMessage(9013, LogLevel.Warning, "Reconciliation of {Item} failed")]
    public static partial void ReconcileFailed(ILogger logger, Exception ex, string item);

    [LoggerMessage(9014, LogLevel.Warning, "Refund {OutRefundNo} could not be submitted now; reconciliation retries it")]
    public static partial void RefundSubmitDeferred(ILogger logger, Exception ex, string outRefundNo);

    [LoggerMessage(9015, LogLevel.Warning, "Refund {OutRefundNo} ({Status}) marked settled offline by {Actor}")]
    public static partial void RefundSettledOffline(ILogger logger, string outRefundNo, string status, string actor);

    [LoggerMessage(9016, LogLevel.Information, "Refund {OutRefundNo} ({Status}) retried under the same out_refund_no by {Actor}")]
    public static partial void RefundRetried(ILogger logger, string outRefundNo, string status, string actor);

    [LoggerMessage(9017, LogLevel.Information, "Paid message for order {OrderNo} skipped: no_credit (member {MemberId} has no accepted subscription for Payments:PaidTemplateId)")]
    public static partial void PaidMessageNoCredit(ILogger logger, string orderNo, long memberId);

    [LoggerMessage(9018, LogLevel.Warning, "Paid message for order {OrderNo} did not reach WeChat ({Error}): its subscribe credit is given back and the outbox retries")]
    public static partial void PaidMessageCreditGivenBack(ILogger logger, string orderNo, string error);
}
