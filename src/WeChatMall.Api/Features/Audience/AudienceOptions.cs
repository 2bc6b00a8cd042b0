using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Audience;

public sealed class AudienceOptions
{
    public const string SectionName = "Audience";

    /// <summary>Customer-service window after a message from the follower (WeChat: 48 hours).</summary>
    [Range(1, 720)] public int MessageWindowHours { get; set; } = 48;

    /// <summary>Customer-service window after a follow, a QR scan or a click/scancode menu event (WeChat: 1 minute).</summary>
    [Range(1, 86_400)] public int EventWindowSeconds { get; set; } = 60;

    /// <summary>Members per transaction when stats are rebuilt.</summary>
    [Range(10, 20_000)] public int RebuildBatchSize { get; set; } = 2_000;

    /// <summary>Most rows one segment preview page returns.</summary>
    [Range(1, 1_000)] public int MaxPreviewPageSize { get; set; } = 200;

    /// <summary>WeChat user tags per Official Account (tags/create answers 45056 beyond).</summary>
    [Range(1, 1_000)] public int WeChatTagsPerAccount { get; set; } = 100;

    /// <summary>WeChat user tags per follower (batchtagging answers 45059 beyond).</summary>
    [Range(1, 100)] public int WeChatTagsPerUser { get; set; } = 20;

    /// <summary>Openids per tags/members/batchtagging call (WeChat: 50; 40032 beyond).</summary>
    [Range(1, 50)] public int WeChatOpenIdsPerCall { get; set; } = 50;

    /// <summary>Largest segment rule tree accepted (nodes), so one request cannot build an unbounded query.</summary>
    [Range(1, 1_000)] public int MaxRuleNodes { get; set; } = 100;
}
