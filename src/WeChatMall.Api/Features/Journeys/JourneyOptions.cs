using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Journeys;

/// <summary>Section "Journeys" (docs/journeys.md). The worker's pace is Jobs:JourneyAdvance:Interval.</summary>
public sealed class JourneyOptions
{
    public const string SectionName = "Journeys";

    /// <summary>Members one worker claims at a time; the journey's status is re-read before every batch.</summary>
    [Range(1, 1_000)] public int BatchSize { get; set; } = 100;

    /// <summary>How long a claim holds before another instance may take a member over (a worker that died).</summary>
    [Range(2, 3_600)] public int ClaimSeconds { get; set; } = 60;

    /// <summary>Members one worker advances at once.</summary>
    [Range(1, 64)] public int Parallelism { get; set; } = 4;
}
