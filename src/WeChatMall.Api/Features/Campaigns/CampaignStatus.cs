namespace WeChatMall.Api.Features.Campaigns;

public static class CampaignStatus
{
    public const string Draft = "draft";
    public const string AwaitingApproval = "awaiting_approval";
    public const string Scheduled = "scheduled";
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Parked = "parked";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    /// <summary>A recurring campaign's definition while it makes a run at every occurrence of its cron.</summary>
    public const string Recurring = "recurring";
}

/// <summary>Why a recipient was not sent to (results group skips by these).</summary>
public static class SkipReasons
{
    public const string NoCredit = "no_credit";
    public const string WindowClosed = "window_closed";
    public const string Unfollowed = "unfollowed";
    public const string NoOpenId = "no_openid";
    public const string InvalidContent = "invalid_content";
    public const string Refused = "refused";
    public const string OutcomeUnknown = "outcome_unknown";
    public const string RetriesExhausted = "retries_exhausted";
    public const string WeChatError = "wechat_error";
    public const string Cancelled = "cancelled";
}
