using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Campaigns.Credits;
using WeChatMall.Api.Infrastructure.Database;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>
/// Sends a claimed batch with a constant number of database writes: picks for every recipient the first channel of the
/// campaign's fallback list that WeChat's rules allow (or records why none does, all skips in one statement), renders
/// and checks the content, takes the batch's quota units in one Redis call per channel, marks the chosen recipients
/// 'sending' in one transaction (subscribe credits spent and coupons granted in it), calls WeChat in parallel, and
/// writes the outcomes together (BatchOutcomes). The claim is renewed while the batch runs (ClaimRenewal).
/// </summary>
public sealed class CampaignSender(
    MySqlDataSource db, RecipientBatchStore batches, SubscribeCredits credits, QuotaGovernor quotas, CampaignMessages messages,
    IOptions<CampaignOptions> options, TimeProvider time, ILogger<CampaignSender> logger)
{
    /// <summary>After a batch (or a mass chunk): go on; wait for the next minute; park for the day; or stop this round (Yield).</summary>
    public enum Signal { Continue, MinuteFull, DaySpent, Yield }

    /// <summary>The channel WeChat allows for this recipient, or the reason none of <paramref name="channels"/> does (the last one's).</summary>
    public static (string? Channel, string? Reason) Choose(IReadOnlyList<string> channels, RecipientContext r, DateTime now)
    {
        string? reason = null;
        // A recipient that was in flight keeps its channel: a retry must not reach the member a second way.
        foreach (var channel in r.Channel is { } kept ? [kept] : channels)
        {
            reason = channel switch
            {
                CampaignChannels.Template when r.OaOpenId is null => SkipReasons.NoOpenId,
                CampaignChannels.Template when !r.Following => SkipReasons.Unfollowed,
                CampaignChannels.Subscribe when r.MpOpenId is null => SkipReasons.NoOpenId,
                CampaignChannels.Subscribe when r.Credits <= 0 => SkipReasons.NoCredit,
                CampaignChannels.Text when r.OaOpenId is null => SkipReasons.NoOpenId,
                CampaignChannels.Text when !r.Following => SkipReasons.Unfollowed,
                CampaignChannels.Text when r.WindowUntil is not { } until || until <= now => SkipReasons.WindowClosed,
                _ => null,
            };
            if (reason is null) return (channel, null);
        }
        return (null, reason ?? SkipReasons.NoOpenId);
    }

    /// <summary>The idempotency key of a recipient's subscribe-credit spend.</summary>
    public static string SendKey(long campaignId, long memberId) => $"campaign:{campaignId}:{memberId}";

    /// <summary>
    /// Sends the recipients claimed by <paramref name="token"/>. Recipients left claimed (the quota granted fewer units
    /// than wanted, or a call answered 45009/45011) are handed back by the caller, as the signal says.
    /// </summary>
    public async Task<Signal> SendBatchAsync(CampaignRow campaign, CampaignContent content, IReadOnlyList<RecipientContext> batch, string token,
        CancellationToken ct)
    {
        var o = options.Value;
        await using var claim = ClaimRenewal.Start(batches, token, TimeSpan.FromSeconds(o.ClaimSeconds), time, logger, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var label = await CampaignCoupons.LabelAsync(db, campaign.CouponTemplateId, ct);
        var skips = new BatchOutcomes(campaign.Id, token, content.Subscribe?.TemplateId);
        var planned = new List<PlannedSend>();
        foreach (var r in batch)
        {
            var (channel, reason) = Choose(campaign.ChannelList, r, now);
            if (channel is null)
            {
                skips.Finish(r.MemberId, "skipped", null, reason);
                continue;
            }
            var person = messages.PersonOf(r, label);
            var errors = channel switch
            {
                CampaignChannels.Template => TemplateFieldRules.CheckTemplate(CampaignContent.Render(content.Template!.Data, person)),
                CampaignChannels.Subscribe => TemplateFieldRules.CheckSubscribe(CampaignContent.Render(content.Subscribe!.Data, person)),
                _ => [],
            };
            if (errors.Count > 0) skips.Finish(r.MemberId, "failed", channel, SkipReasons.InvalidContent);
            else planned.Add(new(r, channel, person));
        }
        await WriteAsync(claim, skips, ct);

        var signal = Signal.Continue;
        var granted = new List<PlannedSend>();
        foreach (var group in planned.GroupBy(p => p.Channel))
        {
            var wanted = group.ToList();
            var (n, shortBy) = await quotas.TakeManyAsync(group.Key, wanted.Count, ct);
            granted.AddRange(wanted.Take(n));
            if (n < wanted.Count)
                signal = BatchOutcomes.Worse(signal, shortBy == QuotaGovernor.Outcome.DaySpent ? Signal.DaySpent : Signal.MinuteFull);
        }
        // Recipients beyond the grant stay claimed: the caller hands them back (at the next minute, or now and parks).
        var sending = await claim.ExclusiveAsync(() => MarkSendingAsync(campaign, content, granted, token, now, ct));

        var results = new BatchOutcomes(campaign.Id, token, content.Subscribe?.TemplateId);
        try
        {
            await Parallel.ForEachAsync(sending, new ParallelOptions { MaxDegreeOfParallelism = o.Parallelism, CancellationToken = ct }, async (p, ct2) =>
            {
                if (results.Stopped) results.Unsent(p); // a quota answer stops the rest of the batch
                else await CallOneAsync(campaign, content, p, results, ct2);
            });
        }
        finally
        {
            // Also when the batch is cut short: what WeChat answered is not lost; calls in flight stay 'sending' (RecoverAsync).
            await WriteAsync(claim, results, CancellationToken.None);
        }
        return BatchOutcomes.Worse(signal, results.Signal);
    }

    // The batch's 'sending' transaction: only rows still claimed by this token; a refused credit or coupon skips the row in it.
    Task<List<PlannedSend>> MarkSendingAsync(CampaignRow campaign, CampaignContent content, List<PlannedSend> granted, string token, DateTime now,
        CancellationToken ct) => granted.Count == 0 ? Task.FromResult(new List<PlannedSend>()) : LockConflictRetry.RunAsync(async () =>
    {
        var id = campaign.Id;
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var owned = await RecipientBatchStore.LockClaimedAsync(c, tx, id, token, [.. granted.Select(p => p.R.MemberId)], ct);
        var go = new List<PlannedSend>();
        var refused = new List<(PlannedSend P, string Reason)>();
        foreach (var p in granted.Where(p => owned.Contains(p.R.MemberId))) // the others were taken over: not ours to write
        {
            var member = p.R.MemberId;
            var spends = p.Channel == CampaignChannels.Subscribe;
            if (spends && campaign.CouponTemplateId is not null) await tx.SaveAsync("recipient", ct);
            if (spends && !await credits.SpendAsync(c, tx, member, content.Subscribe!.TemplateId, SendKey(id, member), ct))
            {
                refused.Add((p, SkipReasons.NoCredit));
                continue;
            }
            if (campaign.CouponTemplateId is { } coupon && await CampaignCoupons.GrantOnceAsync(c, tx, id, member, coupon, now, ct) is { } code)
            {
                if (spends) await tx.RollbackAsync("recipient", ct); // the credit just spent for it
                Log.CouponRefused(logger, id, member, code);
                refused.Add((p, code.ToLowerInvariant()));
                continue;
            }
            go.Add(p);
        }
        foreach (var g in refused.GroupBy(x => (x.P.Channel, x.Reason)))
            await RecipientBatchStore.FinishAsync(c, tx, id, token, [.. g.Select(x => x.P.R.MemberId)], "skipped", g.Key.Channel, g.Key.Reason, null, now, ct);
        foreach (var g in go.GroupBy(p => p.Channel))
            await RecipientBatchStore.MarkSendingAsync(c, tx, id, token, g.Key, [.. g.Select(p => p.R.MemberId)], now, ct);
        await tx.CommitAsync(ct);
        return go;
    }, ct);

    async Task WriteAsync(ClaimRenewal claim, BatchOutcomes outcomes, CancellationToken ct)
    {
        if (outcomes.IsEmpty) return;
        await claim.ExclusiveAsync(() => LockConflictRetry.RunAsync(async () =>
        {
            await using var c = await db.OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            await outcomes.WriteAsync(c, tx, credits, time.GetUtcNow().UtcDateTime, ct);
            await tx.CommitAsync(ct);
            return true;
        }, ct));
        outcomes.Clear();
    }

    async Task CallOneAsync(CampaignRow campaign, CampaignContent content, PlannedSend p, BatchOutcomes results, CancellationToken ct)
    {
        var (r, channel) = (p.R, p.Channel);
        try
        {
            results.Sent(p, await messages.CallAsync(channel, $"c{campaign.Id}m{r.MemberId}", content, r, p.Person, ct));
        }
        catch (WeChatApiException e)
        {
            await OnWeChatErrorAsync(campaign.Id, p, e.Errcode, results, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && IsTransient(e))
        {
            RetryOrFail(p, null, results);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && WeChatCallFailures.IsTimeout(e))
        {
            // WeChat may have accepted the call. Only the template channel can be resent safely (same client_msg_id).
            if (channel == CampaignChannels.Template) RetryOrFail(p, null, results);
            else results.Finish(r.MemberId, "failed", channel, SkipReasons.OutcomeUnknown);
        }
    }

    async Task OnWeChatErrorAsync(long campaignId, PlannedSend p, int errcode, BatchOutcomes results, CancellationToken ct)
    {
        var (member, channel) = (p.R.MemberId, p.Channel);
        Log.SendRefused(logger, campaignId, member, channel, errcode);
        switch (errcode)
        {
            case 45009: // the day's quota is spent: park the campaign until 00:00 China time
                results.Retry(p, time.GetUtcNow().UtcDateTime, errcode);
                results.Raise(Signal.DaySpent);
                await quotas.MarkDaySpentAsync(channel, ct);
                break;
            case 45011: // per-minute limit: this recipient and the rest of the batch wait for the next minute
                results.Retry(p, quotas.NextMinute(), errcode);
                results.Raise(Signal.MinuteFull);
                break;
            case -1:
                RetryOrFail(p, errcode, results);
                break;
            case 45015 or 45047:
                results.Finish(member, "skipped", channel, SkipReasons.WindowClosed, errcode);
                break;
            case 43101 when channel == CampaignChannels.Subscribe:
                results.ZeroCredit(p, errcode);
                break;
            case 43101:
                results.Finish(member, "skipped", channel, SkipReasons.Refused, errcode);
                break;
            default:
                results.Finish(member, "failed", channel, SkipReasons.WeChatError, errcode);
                break;
        }
    }

    void RetryOrFail(PlannedSend p, int? errcode, BatchOutcomes results)
    {
        var attempts = p.R.Attempts + 1;
        var o = options.Value;
        if (attempts >= o.MaxAttempts)
        {
            results.Finish(p.R.MemberId, "failed", p.Channel, SkipReasons.RetriesExhausted, errcode);
            return;
        }
        results.Retry(p, time.GetUtcNow().UtcDateTime + o.RetryBaseDelay * Math.Pow(2, attempts - 1), errcode);
    }

    // Not accepted by WeChat: HTTP 5xx, connection refused, an open circuit.
    static bool IsTransient(Exception e) => e switch
    {
        HttpRequestException h => h.StatusCode is null || (int)h.StatusCode >= 500,
        _ => e.GetType().Name == "BrokenCircuitException",
    };

}
