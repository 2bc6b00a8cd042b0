using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Database;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Features.Campaigns.Mass;

/// <summary>
/// The mass channel (群发, developers.weixin.qq.com/doc/offiaccount/Message_Management/Batch_Sends_and_Originality_Checks.html):
/// one call carries a chunk of recipients (mass/send, 2–10,000 openids) or all of them (sendall to a WeChat tag). Per
/// call: the recipients WeChat's rules keep out are skipped (no openid, unfollowed, not under the tag, the monthly cap),
/// one unit of the mass quota (60 a minute), then one transaction writes the job 'sending' with its clientmsgid, moves
/// its recipients to 'sending' and counts them for the month; then the call, and the outcome for the whole job.
/// </summary>
public sealed class MassSender(
    MySqlDataSource db, RecipientStore recipients, QuotaGovernor quotas, OfficialAccountClient oa, IOptions<CampaignOptions> options,
    TimeProvider time, ILogger<MassSender> logger)
{
    /// <summary>Sends one job: a lapsed one first, else a new chunk claimed under <paramref name="token"/>. Worked is false when nothing was left.</summary>
    public async Task<(bool Worked, CampaignSender.Signal Signal)> SendNextAsync(CampaignRow campaign, MassCampaignContent mass, string token,
        CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var hold = TimeSpan.FromSeconds(o.ClaimSeconds);

        if (await MassJobStore.TakeLapsedAsync(db, campaign.Id, now, now + hold, ct) is { } lapsed)
        {
            var quota = await TakeQuotaAsync(ct);
            if (quota != CampaignSender.Signal.Continue) return (true, quota); // the job's lease lapses again and it is retried
            Log.MassJobResent(logger, campaign.Id, lapsed.Id, lapsed.ClientMsgId);
            return (true, await CallAsync(campaign.Id, mass, lapsed, await recipients.MassJobOpenIdsAsync(campaign.Id, lapsed.Id, ct), ct));
        }

        long? wechatTag = mass.TagId is { } tagId ? await MassJobStore.WeChatTagOfAsync(db, tagId, ct) ?? -1 : null;
        if (await recipients.ClaimAsync(campaign.Id, token, wechatTag is null ? o.MassChunkSize : int.MaxValue, hold, ct) == 0)
            return (false, CampaignSender.Signal.Continue);
        // mass/send takes two openids at least: a last lone recipient joins this chunk rather than be left alone.
        if (wechatTag is null && await recipients.DueCountAsync(campaign.Id, ct) == 1) await recipients.ClaimAsync(campaign.Id, token, 1, hold, ct);
        var batch = await recipients.ClaimedAsync(token, null, ct);
        await recipients.SkipManyAsync(null, null, campaign.Id, token, [.. batch.Where(r => r.OaOpenId is null).Select(r => r.MemberId)], SkipReasons.NoOpenId, ct);
        await recipients.SkipManyAsync(null, null, campaign.Id, token,
            [.. batch.Where(r => r.OaOpenId is not null && !r.Following).Select(r => r.MemberId)], SkipReasons.Unfollowed, ct);
        var candidates = batch.Where(r => r.OaOpenId is not null && r.Following).ToList();
        if (wechatTag is { } tag)
        {
            // sendall reaches the WeChat tag's followers: a recipient we did not put under the tag is not reached by it.
            var tagged = await MassJobStore.TaggedAsync(db, tag, [.. candidates.Select(r => r.OaOpenId!)], ct);
            await recipients.SkipManyAsync(null, null, campaign.Id, token,
                [.. candidates.Where(r => !tagged.Contains(r.OaOpenId!)).Select(r => r.MemberId)], SkipReasons.NotInTag, ct);
            candidates = [.. candidates.Where(r => tagged.Contains(r.OaOpenId!))];
        }
        if (candidates.Count == 0) return (true, CampaignSender.Signal.Continue);
        var signal = await TakeQuotaAsync(ct);
        if (signal != CampaignSender.Signal.Continue) return (true, signal); // the claimed rows are released by the caller

        var (job, openIds, releaseLone) = await LockConflictRetry.RunAsync(() => CreateJobAsync(campaign.Id, token, wechatTag, candidates, now + hold, ct), ct);
        if (releaseLone) return (true, CampaignSender.Signal.Yield); // released by the caller; it joins a later chunk
        if (job is null) return (true, CampaignSender.Signal.Continue);
        return (true, await CallAsync(campaign.Id, mass, job, openIds, ct));
    }

    // One transaction: the followers' monthly counters (locked), the skips at the cap, the job and its recipients 'sending'.
    async Task<(MassJobRow? Job, IReadOnlyList<string> OpenIds, bool ReleaseLone)> CreateJobAsync(long campaignId, string token, long? wechatTag,
        IReadOnlyList<RecipientContext> candidates, DateTime leaseUntil, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var month = MassMonthlyCounts.MonthOf(now);
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var counts = await MassMonthlyCounts.LockAsync(c, tx, [.. candidates.Select(r => r.OaOpenId!)], month, ct);
        var capped = candidates.Where(r => counts.GetValueOrDefault(r.OaOpenId!) >= o.MassMonthlyCap).Select(r => r.MemberId).ToList();
        await recipients.SkipManyAsync(c, tx, campaignId, token, capped, SkipReasons.MonthlyCap, ct);
        var eligible = candidates.Where(r => counts.GetValueOrDefault(r.OaOpenId!) < o.MassMonthlyCap).ToList();
        if (wechatTag is null && eligible.Count is > 0 and < OfficialAccountClient.MassMinOpenIds)
        {
            // mass/send takes two openids at least: a lone follower waits for the next chunk, or is skipped when none is left.
            if (await RecipientStore.OthersOpenAsync(c, tx, campaignId, token, ct))
            {
                await tx.CommitAsync(ct);
                return (null, [], true);
            }
            await recipients.SkipManyAsync(c, tx, campaignId, token, [.. eligible.Select(r => r.MemberId)], SkipReasons.BelowMassMinimum, ct);
            eligible = [];
        }
        if (eligible.Count == 0)
        {
            await tx.CommitAsync(ct);
            return (null, [], false);
        }
        var job = await MassJobStore.CreateAsync(c, tx, campaignId, wechatTag, eligible.Count, month, leaseUntil, now, ct);
        await RecipientStore.MarkMassSendingAsync(c, tx, campaignId, token, [.. eligible.Select(r => r.MemberId)], job.Id, now, ct);
        var openIds = eligible.Select(r => r.OaOpenId!).ToList();
        await MassMonthlyCounts.AddAsync(c, tx, openIds, month, +1, ct);
        await tx.CommitAsync(ct);
        return (job, openIds, false);
    }

    /// <summary>
    /// A test send: the mass message to one member by message/mass/preview, which does not count toward WeChat's monthly
    /// cap and is no job (no MASSSENDJOBFINISH). Reason is set when the member cannot get it (no openid, unfollowed).
    /// </summary>
    public async Task<(string? Reason, long? MsgId, int? Errcode)> PreviewAsync(MassCampaignContent mass, RecipientContext member, CancellationToken ct)
    {
        if (member.OaOpenId is null) return (SkipReasons.NoOpenId, null, null);
        if (!member.Following) return (SkipReasons.Unfollowed, null, null);
        try
        {
            return (null, await oa.PreviewMassAsync(member.OaOpenId, mass.ToWeChat(), ct), null);
        }
        catch (WeChatApiException e)
        {
            return (null, null, e.Errcode);
        }
    }

    async Task<CampaignSender.Signal> TakeQuotaAsync(CancellationToken ct) => await quotas.TakeAsync(CampaignChannels.Mass, ct) switch
    {
        QuotaGovernor.Outcome.MinuteFull => CampaignSender.Signal.MinuteFull,
        QuotaGovernor.Outcome.DaySpent => CampaignSender.Signal.DaySpent,
        _ => CampaignSender.Signal.Continue,
    };

    async Task<CampaignSender.Signal> CallAsync(long campaignId, MassCampaignContent mass, MassJobRow job, IReadOnlyList<string> openIds,
        CancellationToken ct)
    {
        try
        {
            var result = job.TagId is { } tag
                ? await oa.SendMassByTagAsync(tag, mass.ToWeChat(), job.ClientMsgId, ct)
                : await oa.SendMassToOpenIdsAsync(openIds, mass.ToWeChat(), job.ClientMsgId, ct);
            if (result.Repeated) Log.MassJobAlreadyTaken(logger, campaignId, job.Id, job.ClientMsgId, result.MsgId);
            await FinishAsync(campaignId, job, openIds, "submitted", result.MsgId, result.MsgDataId, null, null, decrement: false, ct);
            return CampaignSender.Signal.Continue;
        }
        catch (WeChatApiException e)
        {
            Log.MassRefused(logger, campaignId, job.Id, e.Errcode);
            switch (e.Errcode)
            {
                case OfficialAccountClient.ClientMsgIdUsed: // sent within 24 h, and WeChat's answer named no msg_id: nothing more to send
                    await FinishAsync(campaignId, job, openIds, "submitted", null, null, null, null, decrement: false, ct);
                    return CampaignSender.Signal.Continue;
                case 45009 or 45028: // the day's mass quota is spent: park until 00:00 China time
                    await ReturnAsync(campaignId, job, openIds, time.GetUtcNow().UtcDateTime, e.Errcode, ct);
                    await quotas.MarkDaySpentAsync(CampaignChannels.Mass, ct);
                    return CampaignSender.Signal.DaySpent;
                case 45011:
                    await ReturnAsync(campaignId, job, openIds, quotas.NextMinute(), e.Errcode, ct);
                    return CampaignSender.Signal.MinuteFull;
                case -1:
                    await RetryOrFailAsync(campaignId, job, openIds, e.Errcode, ct);
                    return CampaignSender.Signal.Continue;
                default:
                    await FinishAsync(campaignId, job, openIds, "failed", null, null, e.Errcode, SkipReasons.WeChatError, decrement: true, ct);
                    return CampaignSender.Signal.Continue;
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or TimeoutException or TaskCanceledException
                                  || e.GetType().Name is "BrokenCircuitException" or "TimeoutRejectedException")
        {
            // WeChat may or may not have taken it: the same clientmsgid makes the next attempt safe either way.
            await RetryOrFailAsync(campaignId, job, openIds, null, ct);
            return CampaignSender.Signal.Continue;
        }
    }

    async Task RetryOrFailAsync(long campaignId, MassJobRow job, IReadOnlyList<string> openIds, int? errcode, CancellationToken ct)
    {
        var o = options.Value;
        if (job.Attempts >= o.MaxAttempts)
        {
            // The counters stay: an attempt may have reached the followers.
            await FinishAsync(campaignId, job, openIds, "failed", null, null, errcode, SkipReasons.RetriesExhausted, decrement: false, ct);
            return;
        }
        var now = time.GetUtcNow().UtcDateTime;
        await MassJobStore.RetryLaterAsync(db, job.Id, now + o.RetryBaseDelay * Math.Pow(2, job.Attempts - 1), now, ct);
    }

    async Task FinishAsync(long campaignId, MassJobRow job, IReadOnlyList<string> openIds, string status, long? msgId, long? msgDataId, int? errcode,
        string? reason, bool decrement, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (!await MassJobStore.FinishAsync(c, tx, job.Id, status, msgId, msgDataId, errcode, now, ct)) return; // another worker recorded it
        await recipients.FinishMassJobAsync(c, tx, campaignId, job.Id, status == "submitted" ? "sent" : "failed", reason, errcode, msgId, ct);
        if (decrement) await MassMonthlyCounts.AddAsync(c, tx, openIds, job.Month, -1, ct);
        await tx.CommitAsync(ct);
    }

    async Task ReturnAsync(long campaignId, MassJobRow job, IReadOnlyList<string> openIds, DateTime at, int errcode, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await MassJobStore.FinishAsync(c, tx, job.Id, "returned", null, null, errcode, now, ct))
            await recipients.ReturnMassJobAsync(c, tx, campaignId, job.Id, at, errcode, ct);
        else if (await MassJobStore.FinishAsync(c, tx, job.Id, "failed", null, null, errcode, now, ct))
            // The campaign was cancelled during the call, and WeChat did not take it: nobody received it, nothing is sent again.
            await recipients.FinishMassJobAsync(c, tx, campaignId, job.Id, "skipped", SkipReasons.Cancelled, errcode, null, ct);
        else return; // another worker recorded it
        await MassMonthlyCounts.AddAsync(c, tx, openIds, job.Month, -1, ct);
        await tx.CommitAsync(ct);
    }
}
