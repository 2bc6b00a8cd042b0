using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>
/// A new campaign. Channels: template, subscribe, text, in fallback order, or mass alone. SendAt: null = as soon as it is started (UTC
/// or with an offset). QuietStart/QuietEnd: "HH:mm" China time, both or neither.
/// </summary>
public sealed record CreateCampaignRequest(
    [property: Required, StringLength(100, MinimumLength = 1)] string Name,
    [property: Range(1, long.MaxValue)] long SegmentId,
    [property: Required, MinLength(1), MaxLength(4)] string[] Channels,
    [property: Required] CampaignContent Content,
    DateTimeOffset? SendAt = null,
    [property: RegularExpression(@"^([01][0-9]|2[0-3]):[0-5][0-9]$")] string? QuietStart = null,
    [property: RegularExpression(@"^([01][0-9]|2[0-3]):[0-5][0-9]$")] string? QuietEnd = null,
    [property: Range(1, 90)] int? AttributionDays = null,
    CampaignRecurrenceRequest? Recurrence = null,
    [property: Range(1, long.MaxValue)] long? CouponTemplateId = null);

/// <summary>A recurring schedule: 5-field cron (minute hour day-of-month month day-of-week) in China time, at most hourly.</summary>
public sealed record CampaignRecurrenceRequest([property: Required] string Cron);

/// <summary>A recurring campaign's schedule; NextRunAt null while it is not recurring (draft, paused, cancelled).</summary>
public sealed record CampaignRecurrenceDto(string Cron, DateTime? NextRunAt, string? NextRunAtChina);

/// <summary>One occurrence of a recurring campaign: a campaign of its own (GET /admin/campaigns/{id}/results with its id).</summary>
public sealed record CampaignRunDto(long Id, DateTime OccurrenceAt, string OccurrenceAtChina, string Status, long? AudienceSize,
    DateTime? StartedAt, DateTime? FinishedAt)
{
    public static CampaignRunDto From(CampaignRow r) => new(r.Id, r.OccurrenceAt!.Value, ChinaTime.Of(r.OccurrenceAt.Value).ToString("yyyy-MM-dd HH:mm",
        CultureInfo.InvariantCulture), r.Status, r.AudienceSize, r.StartedAt, r.FinishedAt);
}

public sealed record TestSendRequest([property: Range(1, long.MaxValue)] long MemberId);

public sealed record TestSendDto(long MemberId, string Channel, long? WeChatMsgId);

/// <summary>A campaign; times in UTC, with the send time also in China time as merchants read it.</summary>
public sealed record CampaignDto(long Id, string Name, long SegmentId, IReadOnlyList<string> Channels, CampaignContent Content, string Status,
    DateTime? SendAt, string? SendAtChina, string? QuietStart, string? QuietEnd, int AttributionDays, long? AudienceSize,
    DateTime? ParkedUntil, string? ParkReason, DateTime? ApprovedAt, DateTime? StartedAt, DateTime? FinishedAt, DateTime CreatedAt,
    CampaignRecurrenceDto? Recurrence = null, long? ParentId = null, DateTime? OccurrenceAt = null, long? CouponTemplateId = null)
{
    public static CampaignDto From(CampaignRow r) => new(r.Id, r.Name, r.SegmentId, r.ChannelList, r.ContentModel, r.Status,
        r.SendAt, r.SendAt is { } at ? ChinaTime.Of(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : null,
        Clock(r.QuietStart), Clock(r.QuietEnd), r.AttributionDays, r.AudienceSize, r.ParkedUntil, r.ParkReason, r.ApprovedAt,
        r.StartedAt, r.FinishedAt, r.CreatedAt,
        r.RecurrenceCron is { } cron ? new CampaignRecurrenceDto(cron, r.NextRunAt,
            r.NextRunAt is { } next ? ChinaTime.Of(next).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : null) : null,
        r.ParentId, r.OccurrenceAt, r.CouponTemplateId);

    static string? Clock(short? minutes) => minutes is { } m ? $"{m / 60:00}:{m % 60:00}" : null;
}

/// <summary>
/// What a campaign did: recipients by outcome; skips by reason; failures by WeChat errcode (or our reason when WeChat
/// gave none); paid orders of recipients within AttributionDays after their send, with revenue (net of refunds);
/// UnfollowedAfterSend: sent recipients who unfollowed the Official Account after their send.
/// </summary>
public sealed record CampaignResultsDto(long CampaignId, string Status, long Targeted, long Waiting, long Sent,
    IReadOnlyDictionary<string, long> SentByChannel, IReadOnlyDictionary<string, long> Skipped, IReadOnlyDictionary<string, long> Failed,
    int AttributionDays, long ConvertedMembers, long Orders, long RevenueFen, MassResultsDto? Mass = null, long UnfollowedAfterSend = 0);

/// <summary>
/// A mass campaign's WeChat jobs: one per mass/send chunk (or the one sendall to a tag), with WeChat's MASSSENDJOBFINISH
/// report once it arrived. Sent, Filtered and Errors add up the reports (WeChat's own counts per follower).
/// </summary>
public sealed record MassResultsDto(int Jobs, long Submitted, long Reported, long Sent, long Filtered, long Errors, IReadOnlyList<MassJobDto> JobList);

/// <summary>One mass-send call. Status: sending | submitted | returned | failed; the WeChat* fields once MASSSENDJOBFINISH arrived.</summary>
public sealed record MassJobDto(long Id, string ClientMsgId, long? TagId, int Recipients, string Status, int Attempts, long? MsgId, int? Errcode,
    string? WeChatStatus, long? TotalCount, long? FilterCount, long? SentCount, long? ErrorCount, DateTime CreatedAt);
