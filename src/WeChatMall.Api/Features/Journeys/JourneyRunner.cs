using System.Data.Common;
using Dapper;
using MySqlConnector;
using WeChatMall.Api.Features.Audience.Tags;
using WeChatMall.Api.Features.Campaigns;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Features.Offers;
using WeChatMall.Api.Infrastructure.Activity;
using WeChatMall.Api.Infrastructure.Database;

namespace WeChatMall.Api.Features.Journeys;

/// <summary>
/// Takes one claimed member as far as it can go now: step after step until a wait that is not over, the end, or an
/// exit. Each step is one transaction: its effect (queue the message, tag, points, coupon), the journey_step_passes row
/// and the move to the next step commit together or not at all; the pass row's primary key and the claim token make a
/// second worker's attempt at the same step roll back.
/// </summary>
public sealed class JourneyRunner(MySqlDataSource db, JourneyStore journeys, JourneyMemberStore members, IMemberActivity activity, TimeProvider time,
    ILogger<JourneyRunner> logger)
{
    public async Task AdvanceAsync(JourneyMemberRow member, string token, CancellationToken ct)
    {
        var d = await journeys.VersionAsync(member.JourneyId, member.Version, ct);
        // Forward-only branches (JourneyDefinitionCheck) bound the loop by the number of steps.
        for (var guard = 0; guard <= d.Steps.Count; guard++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            if (member.Step >= d.Steps.Count)
            {
                await members.LeaveAsync(null, null, member, token, JourneyMemberState.Completed, ct);
                return;
            }
            if (d.Goal?.Type == GoalTypes.Bought && await BoughtSinceAsync(null, null, member, ct))
            {
                await members.LeaveAsync(null, null, member, token, JourneyMemberState.ExitedGoal, ct);
                return;
            }
            var step = d.Steps[member.Step];
            if (step.Type == StepTypes.Wait && WakeAt(step, member.StepSince) is var wake && wake > now)
            {
                await members.WaitAsync(member, token, wake, ct);
                return;
            }
            var next = await LockConflictRetry.RunAsync(() => PassAsync(member, step, token, now, ct), ct);
            // The claim was lost or another worker passed the step (it carries on from there), or a branch let the member out.
            if (next is null or Exit) return;
            member = member with { Step = next.Value, StepSince = now };
        }
    }

    const int Exit = -1;

    async Task<int?> PassAsync(JourneyMemberRow m, JourneyStep step, string token, DateTime now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var (outcome, next) = await ApplyAsync(c, tx, m, step, now, ct);
        var moved = await JourneyMemberStore.RecordPassAsync(c, tx, m, outcome, now, ct) && (next == Exit
            ? await members.LeaveAsync(c, tx, m, token, JourneyMemberState.ExitedBranch, ct)
            : await JourneyMemberStore.MoveAsync(c, tx, m, token, next, now, ct));
        if (!moved)
        {
            await tx.RollbackAsync(ct);
            Log.StepAlreadyPassed(logger, m.JourneyId, m.MemberId, m.Step);
            return null;
        }
        await tx.CommitAsync(ct);
        return next;
    }

    /// <summary>The step's effect in the transaction; its outcome (counted in the results) and the next step (or <see cref="Exit"/>).</summary>
    async Task<(string Outcome, int Next)> ApplyAsync(MySqlConnection c, MySqlTransaction tx, JourneyMemberRow m, JourneyStep step, DateTime now,
        CancellationToken ct)
    {
        var following = m.Step + 1;
        switch (step.Type)
        {
            case StepTypes.Wait:
                return ("waited", following);
            case StepTypes.Branch:
                var holds = step.Condition!.Type switch
                {
                    ConditionTypes.BoughtSinceEntry => await BoughtSinceAsync(c, tx, m, ct),
                    _ => await c.ExecuteScalarAsync<long>(new CommandDefinition(
                        "SELECT COUNT(*) FROM member_tags WHERE member_id = @MemberId AND tag_id = @tagId",
                        new { m.MemberId, tagId = step.Condition.TagId }, tx, cancellationToken: ct)) > 0,
                };
                return holds ? ("true", step.OnTrue ?? following) : ("false", step.OnFalse ?? Exit);
            case StepTypes.Send:
                var campaignId = await JourneyStore.SendCampaignAsync(c, tx, m.JourneyId, m.Version, m.Step, ct)
                    ?? throw new InvalidOperationException($"Journey {m.JourneyId} v{m.Version} step {m.Step} has no campaign.");
                return (await RecipientStore.EnqueueAsync(c, tx, campaignId, m.MemberId, now, ct) ? "queued" : "already_queued", following);
            case StepTypes.AddTag or StepTypes.RemoveTag:
                var tagId = step.TagId!.Value;
                if (await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM audience_tags WHERE id = @tagId", new { tagId }, tx,
                        cancellationToken: ct)) == 0)
                    return ("tag_deleted", following);
                if (step.Type == StepTypes.AddTag)
                    return (await TagStore.AddManualAsync(c, tx, m.MemberId, tagId, now, ct) ? "tagged" : "already_tagged", following);
                return (await TagStore.RemoveAsync(c, tx, m.MemberId, tagId, ct) ? "untagged" : "not_tagged", following);
            case StepTypes.GrantPoints:
                var posted = await PointsLedger.PostAsync(c, tx, m.MemberId, step.Points!.Value, "journey", $"journey {m.JourneyId}",
                    $"journey:{m.JourneyId}:{m.MemberId}:{m.Step}", now, ct);
                if (posted is PointsPosted { Duplicate: false }) await activity.MembersChangedAsync(c, tx, [m.MemberId], ct);
                return (posted switch
                {
                    PointsPosted { Duplicate: false } => "granted",
                    PointsPosted => "already_granted",
                    PointsMemberNotFound => "member_gone",
                    _ => "refused",
                }, following);
            case StepTypes.GrantCoupon:
                var issued = await CouponIssuer.IssueAsync(c, tx, step.CouponTemplateId!.Value, m.MemberId, "journey", $"journey:{m.JourneyId}:{m.Step}", now, ct);
                return (issued switch
                {
                    IssueResult.Issued => "granted",
                    IssueResult.Refused r => "refused:" + r.Code,
                    _ => "refused",
                }, following);
            default:
                throw new InvalidOperationException($"Unknown step type {step.Type}.");
        }
    }

    async Task<bool> BoughtSinceAsync(MySqlConnection? c, MySqlTransaction? tx, JourneyMemberRow m, CancellationToken ct)
    {
        var own = c is null ? await db.OpenConnectionAsync(ct) : null;
        try
        {
            return await (c ?? own!).ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT COUNT(*) FROM member_stats WHERE member_id = @MemberId AND {BoughtSince.Sql("last_paid_at", "@EnteredAt")}", new { m.MemberId, m.EnteredAt }, tx,
                cancellationToken: ct)) > 0;
        }
        finally
        {
            if (own is not null) await own.DisposeAsync();
        }
    }

    /// <summary>When a wait that began at <paramref name="since"/> is over: after its days, then at its China-time clock time if it has one.</summary>
    public static DateTime WakeAt(JourneyStep wait, DateTime since)
    {
        var at = since.AddDays(wait.Days ?? 0);
        if (wait.Until is not { } until || JourneyDefinitionCheck.ParseClock(until) is not { } minutes) return at;
        var local = ChinaTime.Of(at);
        var candidate = local.Date.AddMinutes(minutes);
        if (candidate < local) candidate = candidate.AddDays(1);
        return candidate - ChinaTime.Offset;
    }
}
