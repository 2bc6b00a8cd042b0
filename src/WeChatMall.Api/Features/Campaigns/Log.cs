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

    [LoggerMessage(18005, LogLevel.Warning, "Campaign {CampaignId}: mass job {JobId} resent with clientmsgid {ClientMsgId} (its worker did not record the outcome)")]
    public static partial void MassJobResent(ILogger logger, long campaignId, long jobId, string clientMsgId);

    [LoggerMessage(18006, LogLevel.Information, "Campaign {CampaignId}: WeChat answered mass job {JobId} with errcode {Errcode}")]
    public static partial void MassRefused(ILogger logger, long campaignId, long jobId, int errcode);

    [LoggerMessage(18007, LogLevel.Information, "Campaign {CampaignId}: mass job {JobId} (clientmsgid {ClientMsgId}) was already taken by WeChat as msg_id {MsgId} (45065)")]
    public static partial void MassJobAlreadyTaken(ILogger logger, long campaignId, long jobId, string clientMsgId, long msgId);
    [LoggerMessage(18051, LogLevel.Information, "Recurring campaign {CampaignId}: run {RunId} for the occurrence at {Occurrence:o} UTC (missed occurrences collapsed: {Collapsed})")]
    public static partial void Occurred(ILogger logger, long campaignId, long runId, DateTime occurrence, bool collapsed);

    [LoggerMessage(18052, LogLevel.Information, "Campaign {CampaignId}: member {MemberId} skipped, the coupon grant was refused ({Code})")]
    public static partial void CouponRefused(ILogger logger, long campaignId, long memberId, string code);

    [LoggerMessage(18053, LogLevel.Warning, "Campaign batch {Token}: renewing its claim failed ({Error}); tried again at the next tick")]
    public static partial void RenewFailed(ILogger logger, string token, string error);
}
