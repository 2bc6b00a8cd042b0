using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>Section "Campaigns" (docs/campaigns.md). Every WeChat number is a setting, as WeChat may change it.</summary>
public sealed class CampaignOptions
{
    public const string SectionName = "Campaigns";

    /// <summary>A campaign to more members than this waits for an owner's approval (POST …/approve) before it sends.</summary>
    [Range(0, long.MaxValue)] public long ApprovalThreshold { get; set; } = 10_000;

    /// <summary>Recipients one worker claims at a time; pause and cancel are re-checked before every batch.</summary>
    [Range(1, 1_000)] public int BatchSize { get; set; } = 50;

    /// <summary>
    /// How long a claim holds before another instance may take the recipients over; a batch still being worked renews
    /// it every half of this (ClaimRenewal). Keep it well under WeChat's
    /// 10-minute client_msg_id de-duplication of template messages: a resend after a crash relies on it.
    /// </summary>
    [Range(2, 300)] public int ClaimSeconds { get; set; } = 60;

    /// <summary>Sends one worker has in flight at once.</summary>
    [Range(1, 64)] public int Parallelism { get; set; } = 4;

    /// <summary>Attempts per recipient for transient failures (-1, HTTP 5xx) before it is recorded as failed.</summary>
    [Range(1, 20)] public int MaxAttempts { get; set; } = 5;

    /// <summary>First retry delay; doubles with every attempt.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Paid orders within this many days after the send count as the campaign's conversions.</summary>
    [Range(1, 90)] public int AttributionDays { get; set; } = 7;

    /// <summary>
    /// The shortest gap between two occurrences of a recurring campaign. Each occurrence re-evaluates the segment and
    /// freezes it (one INSERT … SELECT over the audience) and may reach a member again: more often than hourly would let
    /// runs overlap and read as spam (and customer-service windows allow only 5 messages in 48 hours).
    /// </summary>
    public TimeSpan MinRecurrenceInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>What {nickname} becomes for a member with no nickname, so a message never starts with a bare "，".</summary>
    [StringLength(20)] public string NicknameFallback { get; set; } = "您好";

    public ChannelQuota Template { get; set; } = new() { PerMinute = 10_000, Daily = 100_000 };
    public ChannelQuota Subscribe { get; set; } = new() { PerMinute = 50_000, Daily = 10_000_000 };
    public ChannelQuota Text { get; set; } = new() { PerMinute = 20_000, Daily = 500_000 };
    /// <summary>Mass-send calls (one per chunk, not per follower): WeChat allows 60 a minute, 100 a day on a new account.</summary>
    public ChannelQuota Mass { get; set; } = new() { PerMinute = 60, Daily = 100 };

    /// <summary>Mass messages a follower of a service account may receive per China calendar month (WeChat's rule: 4).</summary>
    [Range(1, 100)] public int MassMonthlyCap { get; set; } = 4;

    /// <summary>
    /// Openids per mass/send call (WeChat: 2 to 10,000); a chunk takes one more when only one recipient would be left,
    /// hence at most 9,999.
    /// </summary>
    [Range(2, 9_999)] public int MassChunkSize { get; set; } = 9_999;

    public ChannelQuota QuotaOf(string channel) => channel switch
    {
        CampaignChannels.Template => Template,
        CampaignChannels.Subscribe => Subscribe,
        CampaignChannels.Mass => Mass,
        _ => Text,
    };
}

/// <summary>Calls a channel may make per minute and per China-time day, shared by every instance (QuotaGovernor).</summary>
public sealed class ChannelQuota
{
    [Range(1, int.MaxValue)] public int PerMinute { get; set; }
    [Range(1, int.MaxValue)] public int Daily { get; set; }
}

public static class CampaignChannels
{
    /// <summary>Official Account template message (a service notice; client_msg_id makes a resend harmless).</summary>
    public const string Template = "template";
    /// <summary>Mini-program subscribe message: needs a credit.</summary>
    public const string Subscribe = "subscribe";
    /// <summary>Customer-service text: only inside the interaction window.</summary>
    public const string Text = "text";
    /// <summary>Official Account mass send (群发) to followers: by openid list or by WeChat tag; never combined with another channel.</summary>
    public const string Mass = "mass";

    public static readonly string[] All = [Template, Subscribe, Text, Mass];
}
