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

    /// <summary>
    /// How far back each pass re-reads an event trigger (followed, paid, bound, tagged) before where the last pass stopped:
    /// events are stamped before their transaction commits, and instances' clocks differ a little, so a pass must look
    /// a little behind the last one. Members already inside are not entered twice.
    /// </summary>
    [Range(10, 86_400)] public int EnrolOverlapSeconds { get; set; } = 300;

    /// <summary>How often a state trigger (no purchase in N days, points or a coupon about to expire) rescans every member.</summary>
    [Range(1, 1_440)] public int StateTriggerMinutes { get; set; } = 60;
}
