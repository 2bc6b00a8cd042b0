namespace WeChatMall.Api.Features.Campaigns;

static partial class Log
{
    [LoggerMessage(18001, LogLevel.Information, "Campaign {CampaignId}: WeChat refused the {Channel} send to member {MemberId} with errcode {Errcode}")]
    public static partial void SendRefused(ILogger logger, long campaignId, long memberId, string channel, int errcode);

    [LoggerMessage(18002, LogLevel.Warning, "Campaign {CampaignId} parked until {Until:o} UTC: {Reason}")]
    public static partial void Parked(ILogger logger, long campaignId, DateTime until, string reason);

    [LoggerMessage(18003, LogLevel.Information, "Campaign {CampaignId} completed")]
    public static partial void Completed(ILogger logger, long campaignId);

    [LoggerMessage(18004, LogLevel.Information, "Campaign {CampaignId} started: {Recipients} recipients frozen")]
    public static partial void Started(ILogger logger, long campaignId, long recipients);
}
