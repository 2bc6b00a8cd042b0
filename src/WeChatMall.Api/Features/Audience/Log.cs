namespace WeChatMall.Api.Features.Audience;

static partial class Log
{
    [LoggerMessage(15301, LogLevel.Information, "Audience rebuild {RebuildId} finished: {Members} members")]
    public static partial void RebuildFinished(ILogger logger, long rebuildId, long members);

    [LoggerMessage(15302, LogLevel.Error, "Audience rebuild {RebuildId} failed")]
    public static partial void RebuildFailed(ILogger logger, Exception ex, long rebuildId);

    [LoggerMessage(15303, LogLevel.Information, "Tag {TagId} synced to WeChat tag {WeChatTagId}: {Tagged} tagged, {Untagged} untagged, {Skipped} skipped")]
    public static partial void TagSynced(ILogger logger, long tagId, long weChatTagId, int tagged, int untagged, int skipped);
}
