namespace WeChatMall.Api.Features.Channels;

static partial class Log
{
    [LoggerMessage(1501, LogLevel.Information, "Channel {ChannelId} created ({Kind}, permanent: {Permanent})")]
    public static partial void ChannelCreated(ILogger logger, long channelId, string kind, bool permanent);

    [LoggerMessage(1502, LogLevel.Warning, "WeChat refused {Call} with errcode {Errcode}")]
    public static partial void WeChatRefused(ILogger logger, string call, int errcode);

    [LoggerMessage(1503, LogLevel.Warning, "WeChat did not answer {Call} ({Error})")]
    public static partial void WeChatUnreachable(ILogger logger, string call, string error);

    [LoggerMessage(1504, LogLevel.Information, "Custom menu published ({Buttons} top-level buttons)")]
    public static partial void MenuPublished(ILogger logger, int buttons);

    [LoggerMessage(1505, LogLevel.Information, "Follower sync run {RunId}: {Imported} followers imported, finished")]
    public static partial void SyncFinished(ILogger logger, long runId, long imported);

    [LoggerMessage(1506, LogLevel.Warning, "Follower sync run {RunId} stopped at cursor page {Pages}; it resumes from there")]
    public static partial void SyncInterrupted(ILogger logger, Exception ex, long runId, int pages);
}
