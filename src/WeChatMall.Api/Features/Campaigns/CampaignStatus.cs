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
    /// <summary>Mass send: the follower already had WeChat's monthly number of mass messages this China month.</summary>
    public const string MonthlyCap = "monthly_cap";
    /// <summary>Mass send by openid list: a lone follower left over (mass/send takes at least two openids).</summary>
    public const string BelowMassMinimum = "below_mass_minimum";
    /// <summary>Mass send by WeChat tag: the follower is not under the campaign's WeChat tag, so the send cannot reach them.</summary>
    public const string NotInTag = "not_in_tag";
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
    /// <summary>Mass send: the follower already had WeChat's monthly number of mass messages this China month.</summary>
    public const string MonthlyCap = "monthly_cap";
    /// <summary>Mass send by openid list: a lone follower left over (mass/send takes at least two openids).</summary>
    public const string BelowMassMinimum = "below_mass_minimum";
    /// <summary>Mass send by WeChat tag: the follower is not under the campaign's WeChat tag, so the send cannot reach them.</summary>
    public const string NotInTag = "not_in_tag";
}
