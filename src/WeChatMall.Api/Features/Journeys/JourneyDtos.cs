using System.ComponentModel.DataAnnotations;
using WeChatMall.Api.Features.Campaigns;

namespace WeChatMall.Api.Features.Journeys;

/// <summary>A journey to create, or the new definition of one (saved as its next version). Goal: null = no early exit.</summary>
public sealed record JourneyRequest(
    [property: Required, StringLength(100, MinimumLength = 1)] string Name,
    [property: Required] JourneyTrigger Trigger,
    JourneyGoal? Goal,
    [property: Required] JourneyStep[] Steps)
{
    public JourneyDefinition Definition => new(Trigger, Goal, Steps);
}

/// <summary>A journey with the definition new members enter (its current version); times UTC.</summary>
public sealed record JourneyDto(long Id, string Name, string Status, int CurrentVersion, JourneyDefinition Definition, DateTime? ActivatedAt,
    DateTime CreatedAt, DateTime UpdatedAt)
{
    public static JourneyDto From(JourneyRow r, JourneyDefinition d) => new(r.Id, r.Name, r.Status, r.CurrentVersion, d, r.ActivatedAt, r.CreatedAt, r.UpdatedAt);
}

/// <summary>
/// A journey and what it did. Members: by state (active, completed, exited_goal, exited_branch). Versions: every
/// definition members were let in on, with per-step results.
/// </summary>
public sealed record JourneyDetailDto(JourneyDto Journey, long Entered, IReadOnlyDictionary<string, long> Members, IReadOnlyList<JourneyVersionResultsDto> Versions);

public sealed record JourneyVersionResultsDto(int Version, long Entered, JourneyDefinition Definition, IReadOnlyList<JourneyStepResultsDto> Steps);

/// <summary>
/// One step: members who passed it, by outcome (e.g. a branch's true/false, a coupon's refusal code); members waiting at
/// it now; for a send step, what the delivery engine did (sent, skipped by reason, failed by errcode, conversions).
/// </summary>
public sealed record JourneyStepResultsDto(int Step, string Type, long Passed, IReadOnlyDictionary<string, long> Outcomes, long Waiting,
    CampaignResultsDto? Send);
