namespace WeChatMall.Api.Features.Callback;

static partial class Log
{
    [LoggerMessage(5001, LogLevel.Warning, "Callback rejected: {Reason} (mode {Mode}, openid present {HasOpenId})")]
    public static partial void Rejected(ILogger logger, string reason, string mode, bool hasOpenId);



    [LoggerMessage(5004, LogLevel.Debug, "Callback {MsgType}/{Event} answered by rule {RuleId}")]
    public static partial void Handled(ILogger logger, string msgType, string? @event, long? ruleId);

    [LoggerMessage(5005, LogLevel.Information, "Callback retry of a {MsgType} answered with the first delivery's reply")]
    public static partial void RetryAnswered(ILogger logger, string msgType);


    [LoggerMessage(5007, LogLevel.Information, "Callback URL verification {Result}")]
    public static partial void UrlVerification(ILogger logger, string result);

    [LoggerMessage(5008, LogLevel.Warning, "Callback gate degraded, Redis unavailable (recording synchronously): {Reason}")]
    public static partial void GateDegraded(ILogger logger, string reason);

    [LoggerMessage(5009, LogLevel.Error, "Callback event writer failed; the batch stays pending and is retried")]
    public static partial void WriterFailed(ILogger logger, Exception ex);

    [LoggerMessage(5010, LogLevel.Error, "Callback event {EntryId} is unreadable and was dropped: {Reason}")]
    public static partial void UnreadableEvent(ILogger logger, string entryId, string reason);

    [LoggerMessage(5011, LogLevel.Warning, "Callback event stream or its consumer group disappeared (NOGROUP); recreating the group")]
    public static partial void WriterGroupLost(ILogger logger);

    [LoggerMessage(5012, LogLevel.Information, "Moved {Count} callback event(s) from the stream's pre-hash-tag name to the current stream")]
    public static partial void LegacyEventsMoved(ILogger logger, int count);
}
