namespace WeChatMall.Api.Features.Callback;

static partial class Log
{
    [LoggerMessage(5001, LogLevel.Warning, "Callback rejected: {Reason} (mode {Mode}, openid present {HasOpenId})")]
    public static partial void Rejected(ILogger logger, string reason, string mode, bool hasOpenId);

    [LoggerMessage(5002, LogLevel.Warning, "Callback replay guard degraded, Redis unavailable: {Reason}")]
    public static partial void ReplayGuardDegraded(ILogger logger, string reason);

    [LoggerMessage(5003, LogLevel.Warning, "Callback reply cache degraded, Redis unavailable: {Reason}")]
    public static partial void ReplyCacheDegraded(ILogger logger, string reason);

    [LoggerMessage(5004, LogLevel.Information, "Callback {MsgType}/{Event} answered by rule {RuleId} (duplicate {Duplicate})")]
    public static partial void Handled(ILogger logger, string msgType, string? @event, long? ruleId, bool duplicate);

    [LoggerMessage(5005, LogLevel.Information, "Callback retry of a {MsgType} answered with the first delivery's reply")]
    public static partial void RetryAnswered(ILogger logger, string msgType);

    [LoggerMessage(5006, LogLevel.Warning, "Callback retry of a {MsgType} found no stored reply in time; answered success")]
    public static partial void RetryWithoutReply(ILogger logger, string msgType);

    [LoggerMessage(5007, LogLevel.Information, "Callback URL verification {Result}")]
    public static partial void UrlVerification(ILogger logger, string result);
}
