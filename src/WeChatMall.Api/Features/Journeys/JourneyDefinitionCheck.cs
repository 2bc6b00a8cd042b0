using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using WeChatMall.Api.Features.Audience.Tags;
using WeChatMall.Api.Features.Campaigns;
using WeChatMall.Api.Features.Offers;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Journeys;

/// <summary>
/// Refuses a definition that could not run as written, with a stable code naming the problem (docs/errors.md) and the
/// step it is in: a 400 before anything is saved, never a member stuck in a journey at run time.
/// </summary>
public sealed class JourneyDefinitionCheck(MySqlDataSource db, TemplateRegistry templates)
{
    public const int MaxSteps = 50;
    public const int MaxWaitDays = 366;
    public const long MaxPoints = 1_000_000;

    public sealed record Problem(string Code, string Detail, int? Step = null)
    {
        public ProblemHttpResult ToResult() => Problems.Of(StatusCodes.Status400BadRequest, Code, "The journey cannot run as defined.", Detail,
            new Dictionary<string, object?> { ["step"] = Step });
    }

    public async Task<Problem?> CheckAsync(JourneyDefinition? d, CancellationToken ct)
    {
        if (d?.Trigger is null) return new("JOURNEY_TRIGGER_INVALID", "trigger: required");
        if (await CheckTriggerAsync(d.Trigger, ct) is { } trigger) return trigger;
        if (d.Goal is { } goal && goal.Type != GoalTypes.Bought)
            return new("JOURNEY_GOAL_INVALID", $"goal.type: unknown '{goal.Type}' (use {GoalTypes.Bought}, or no goal)");
        if (d.Steps is null || d.Steps.Count == 0) return new("JOURNEY_STEPS_INVALID", "steps: at least one step");
        if (d.Steps.Count > MaxSteps) return new("JOURNEY_STEPS_INVALID", $"steps: at most {MaxSteps}");
        for (var i = 0; i < d.Steps.Count; i++)
        {
            if (d.Steps[i] is not { } step) return new("JOURNEY_STEPS_INVALID", $"steps[{i}]: null", i);
            if (await CheckStepAsync(step, i, d.Steps.Count, ct) is { } problem) return problem with { Step = i };
        }
        return null;
    }

    async Task<Problem?> CheckTriggerAsync(JourneyTrigger t, CancellationToken ct)
    {
        switch (t.Type)
        {
            case TriggerTypes.Followed:
                if (t.ChannelId is { } channelId && await ScalarAsync("SELECT COUNT(*) FROM channels WHERE id = @channelId", new { channelId }, ct) == 0)
                    return new("JOURNEY_TRIGGER_INVALID", $"trigger.channelId: there is no channel {channelId}");
                return null;
            case TriggerTypes.MemberBound or TriggerTypes.FirstOrderPaid or TriggerTypes.OrderPaid:
                return null;
            case TriggerTypes.NoPurchase or TriggerTypes.PointsExpiring or TriggerTypes.CouponExpiring:
                return t.Days is >= 1 and <= MaxWaitDays ? null
                    : new("JOURNEY_TRIGGER_INVALID", $"trigger.days: {t.Type} needs days between 1 and {MaxWaitDays}");
            case TriggerTypes.TagAdded:
                return t.TagId is { } tagId && await TagKindAsync(tagId, ct) is not null ? null
                    : new("JOURNEY_TRIGGER_INVALID", $"trigger.tagId: {t.Type} needs an existing tag");
            default:
                return new("JOURNEY_TRIGGER_INVALID", $"trigger.type: unknown '{t.Type}' (use {string.Join(", ", TriggerTypes.All)})");
        }
    }

    async Task<Problem?> CheckStepAsync(JourneyStep s, int i, int count, CancellationToken ct)
    {
        switch (s.Type)
        {
            case StepTypes.Wait:
                if (s.Days is null && s.Until is null) return new("JOURNEY_WAIT_INVALID", $"steps[{i}]: a wait needs days, until or both");
                if (s.Days is < 0 or > MaxWaitDays) return new("JOURNEY_WAIT_INVALID", $"steps[{i}].days: between 0 and {MaxWaitDays}");
                if (s.Until is { } until && ParseClock(until) is null) return new("JOURNEY_WAIT_INVALID", $"steps[{i}].until: \"HH:mm\" China time");
                return null;
            case StepTypes.Branch:
                if (s.Condition is null) return new("JOURNEY_BRANCH_INVALID", $"steps[{i}].condition: required");
                if (s.Condition.Type == ConditionTypes.HasTag)
                {
                    if (s.Condition.TagId is not { } tagId || await TagKindAsync(tagId, ct) is null)
                        return new("JOURNEY_BRANCH_INVALID", $"steps[{i}].condition.tagId: has_tag needs an existing tag");
                }
                else if (s.Condition.Type != ConditionTypes.BoughtSinceEntry)
                    return new("JOURNEY_BRANCH_INVALID",
                        $"steps[{i}].condition.type: unknown '{s.Condition.Type}' (use {ConditionTypes.BoughtSinceEntry}, {ConditionTypes.HasTag})");
                // Forward only: a member can never come back to a step it passed, so "each step at most once" holds by construction.
                foreach (var (name, target) in new[] { ("onTrue", s.OnTrue), ("onFalse", s.OnFalse) })
                    if (target is { } t && (t <= i || t > count))
                        return new("JOURNEY_BRANCH_INVALID", $"steps[{i}].{name}: a later step (between {i + 1} and {count}, {count} = the end)");
                return null;
            case StepTypes.Send:
                var channels = s.Channels?.Distinct().ToList() ?? [];
                if (channels.Count == 0) return new("JOURNEY_SEND_INVALID", $"steps[{i}].channels: at least one of {string.Join(", ", CampaignChannels.All)}");
                if (channels.FirstOrDefault(ch => !CampaignChannels.All.Contains(ch)) is { } unknown)
                    return new("JOURNEY_SEND_INVALID", $"steps[{i}].channels: unknown channel '{unknown}' (use {string.Join(", ", CampaignChannels.All)})");
                if (s.Content is null) return new("JOURNEY_SEND_INVALID", $"steps[{i}].content: required");
                var errors = s.Content.Check(channels, await templates.ListAsync(ct));
                return errors.Count == 0 ? null : new("JOURNEY_SEND_INVALID", $"steps[{i}].content: {string.Join("; ", errors)}");
            case StepTypes.AddTag or StepTypes.RemoveTag:
                if (s.TagId is not { } tag || await TagKindAsync(tag, ct) is not { } kind)
                    return new("JOURNEY_TAG_INVALID", $"steps[{i}].tagId: an existing tag");
                return kind == TagKind.Manual ? null
                    : new("JOURNEY_TAG_INVALID", $"steps[{i}].tagId: tag {tag} is a rule tag (its members are computed); use a manual tag");
            case StepTypes.GrantPoints:
                return s.Points is >= 1 and <= MaxPoints ? null : new("JOURNEY_POINTS_INVALID", $"steps[{i}].points: between 1 and {MaxPoints}");
            case StepTypes.GrantCoupon:
                if (s.CouponTemplateId is not { } templateId) return new("JOURNEY_COUPON_INVALID", $"steps[{i}].couponTemplateId: required");
                await using (var c = await db.OpenConnectionAsync(ct))
                    if (await CouponTemplateStore.FindAsync(c, null, templateId, ct) is null)
                        return new("JOURNEY_COUPON_INVALID", $"steps[{i}].couponTemplateId: there is no coupon {templateId}");
                return null;
            default:
                return new("JOURNEY_STEP_TYPE_UNKNOWN", $"steps[{i}].type: unknown '{s.Type}' (use {string.Join(", ", StepTypes.All)})");
        }
    }

    /// <summary>Minutes after 00:00 of an "HH:mm" clock time, or null.</summary>
    public static int? ParseClock(string hhmm) =>
        TimeOnly.TryParseExact(hhmm, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t.Hour * 60 + t.Minute : null;

    async Task<string?> TagKindAsync(long tagId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT kind FROM audience_tags WHERE id = @tagId", new { tagId }, cancellationToken: ct));
    }

    async Task<long> ScalarAsync(string sql, object args, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(sql, args, cancellationToken: ct));
    }
}
