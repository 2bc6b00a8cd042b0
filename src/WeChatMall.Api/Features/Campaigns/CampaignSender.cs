using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Campaigns.Credits;
using WeChatMall.WeChat.Api;
using WeChatMall.WeChat.MiniProgram;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>
/// Sends one claimed recipient: picks the first channel of the campaign's fallback list that WeChat's rules allow for
/// this member (or records why none does), renders and checks the content, takes a quota unit, writes 'sending' (and
/// spends the subscribe credit) in one transaction, calls WeChat, and records the outcome.
/// </summary>
public sealed class CampaignSender(
    MySqlDataSource db, RecipientStore recipients, SubscribeCredits credits, QuotaGovernor quotas, OfficialAccountClient oa,
    MiniProgramClient mp, IOptions<CampaignOptions> options, TimeProvider time, ILogger<CampaignSender> logger)
{
    /// <summary>After a recipient (or a mass chunk): go on; wait for the next minute; park for the day; or stop this round (Yield).</summary>
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

    public async Task<Signal> SendAsync(CampaignRow campaign, CampaignContent content, RecipientContext r, string token, CancellationToken ct)
    {
        var (id, member) = (campaign.Id, r.MemberId);
        var now = time.GetUtcNow().UtcDateTime;
        var (channel, reason) = Choose(campaign.ChannelList, r, now);
        if (channel is null)
        {
            await recipients.FinishAsync(null, null, id, member, token, "skipped", null, reason, null, null, ct);
            return Signal.Continue;
        }
        var person = await PersonAsync(campaign, r, ct);
        var errors = channel switch
        {
            CampaignChannels.Template => TemplateFieldRules.CheckTemplate(CampaignContent.Render(content.Template!.Data, person)),
            CampaignChannels.Subscribe => TemplateFieldRules.CheckSubscribe(CampaignContent.Render(content.Subscribe!.Data, person)),
            _ => [],
        };
        if (errors.Count > 0)
        {
            await recipients.FinishAsync(null, null, id, member, token, "failed", channel, SkipReasons.InvalidContent, null, null, ct);
            return Signal.Continue;
        }
        switch (await quotas.TakeAsync(channel, ct))
        {
            case QuotaGovernor.Outcome.MinuteFull:
                await recipients.RetryLaterAsync(null, null, id, member, token, quotas.NextMinute(), null, ct);
                return Signal.MinuteFull;
            case QuotaGovernor.Outcome.DaySpent:
                await recipients.RetryLaterAsync(null, null, id, member, token, now, null, ct);
                return Signal.DaySpent;
        }

        var sendKey = $"campaign:{id}:{member}";
        await using (var c = await db.OpenConnectionAsync(ct))
        await using (var tx = await c.BeginTransactionAsync(ct))
        {
            if (channel == CampaignChannels.Subscribe && !await credits.SpendAsync(c, tx, member, content.Subscribe!.TemplateId, sendKey, ct))
            {
                await tx.RollbackAsync(ct);
                await recipients.FinishAsync(null, null, id, member, token, "skipped", channel, SkipReasons.NoCredit, null, null, ct);
                return Signal.Continue;
            }
            if (!await RecipientStore.MarkSendingAsync(c, tx, id, member, token, channel, now, ct)) return Signal.Continue; // claim taken over
            if (campaign.CouponTemplateId is { } coupon && await CampaignCoupons.GrantOnceAsync(c, tx, id, member, coupon, now, ct) is { } refused)
            {
                await tx.RollbackAsync(ct);
                Log.CouponRefused(logger, id, member, refused);
                await recipients.FinishAsync(null, null, id, member, token, "skipped", channel, refused.ToLowerInvariant(), null, null, ct);
                return Signal.Continue;
            }
            await tx.CommitAsync(ct);
        }

        try
        {
            var msgId = await CallAsync(channel, $"c{campaign.Id}m{r.MemberId}", content, r, person, ct);
            await recipients.FinishAsync(null, null, id, member, token, "sent", channel, null, null, msgId, ct);
            return Signal.Continue;
        }
        catch (WeChatApiException e)
        {
            return await OnWeChatErrorAsync(campaign, content, r, channel, token, sendKey, e.Errcode, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && IsTransient(e))
        {
            await RetryOrFailAsync(campaign, content, r, channel, token, sendKey, null, ct);
            return Signal.Continue;
        }
        catch (Exception e) when (!ct.IsCancellationRequested && IsTimeout(e))
        {
            // WeChat may have accepted the call. Only the template channel can be resent safely (same client_msg_id).
            if (channel == CampaignChannels.Template) await RetryOrFailAsync(campaign, content, r, channel, token, sendKey, null, ct);
            else await recipients.FinishAsync(null, null, id, member, token, "failed", channel, SkipReasons.OutcomeUnknown, null, null, ct);
            return Signal.Continue;
        }
    }

    /// <summary>A test send to one named member: the same channel choice, rendering and call, outside the recipient rows.</summary>
    public async Task<(string? Channel, string? Reason, long? MsgId, int? Errcode)> SendTestAsync(CampaignRow campaign, RecipientContext r,
        CancellationToken ct)
    {
        var content = campaign.ContentModel;
        var (channel, reason) = Choose(campaign.ChannelList, r, time.GetUtcNow().UtcDateTime);
        if (channel is null) return (null, reason, null, null);
        var key = $"test:{campaign.Id}:{r.MemberId}:{Guid.NewGuid():N}";
        if (channel == CampaignChannels.Subscribe)
        {
            await using var c = await db.OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            if (!await credits.SpendAsync(c, tx, r.MemberId, content.Subscribe!.TemplateId, key, ct)) return (null, SkipReasons.NoCredit, null, null);
            await tx.CommitAsync(ct);
        }
        try
        {
            return (channel, null, await CallAsync(channel, key, content, r, await PersonAsync(campaign, r, ct), ct), null);
        }
        catch (WeChatApiException e)
        {
            return (channel, null, null, e.Errcode);
        }
    }

    async Task<long?> CallAsync(string channel, string clientMsgId, CampaignContent content, RecipientContext r,
        CampaignContent.Person person, CancellationToken ct)
    {
        switch (channel)
        {
            case CampaignChannels.Template:
                var t = content.Template!;
                // client_msg_id: WeChat sends one message per openid + id (for 10 minutes), so a resend after a crash is not a second message.
                return await oa.SendTemplateAsync(new TemplateMessage(r.OaOpenId!, t.TemplateId, CampaignContent.Render(t.Data, person), t.Url,
                    ClientMsgId: clientMsgId), ct);
            case CampaignChannels.Subscribe:
                var s = content.Subscribe!;
                await mp.SendSubscribeMessageAsync(new SubscribeMessage(r.MpOpenId!, s.TemplateId, CampaignContent.Render(s.Data, person), s.Page), ct);
                return null;
            default:
                await SendCustomAsync(r.OaOpenId!, content, person, ct);
                return null;
        }
    }

    // A test send names the coupon too, but grants none.
    async Task<CampaignContent.Person> PersonAsync(CampaignRow campaign, RecipientContext r, CancellationToken ct) =>
        new(string.IsNullOrWhiteSpace(r.Nickname) ? options.Value.NicknameFallback : r.Nickname, r.Points, r.Tier,
            await CampaignCoupons.LabelAsync(db, campaign.CouponTemplateId, ct));

    // The customer-service kind the campaign carries (CustomContent allows one).
    Task SendCustomAsync(string openId, CampaignContent content, CampaignContent.Person p, CancellationToken ct) => content switch
    {
        { Image: { } image } => oa.SendCustomImageAsync(openId, image.MediaId, ct),
        { News: { } n } => oa.SendCustomNewsAsync(openId, new CustomNewsArticle(CampaignContent.Render(n.Title, p),
            CampaignContent.Render(n.Description ?? "", p), n.Url, n.PicUrl ?? ""), ct),
        { MiniProgram: { } m } => oa.SendCustomMiniProgramPageAsync(openId,
            new MiniProgramPageCard(CampaignContent.Render(m.Title, p), m.AppId, m.PagePath, m.ThumbMediaId), ct),
        _ => oa.SendCustomTextAsync(openId, CampaignContent.Render(content.Text!, p), ct),
    };

    async Task<Signal> OnWeChatErrorAsync(CampaignRow campaign, CampaignContent content, RecipientContext r, string channel, string token,
        string sendKey, int errcode, CancellationToken ct)
    {
        var (id, member) = (campaign.Id, r.MemberId);
        Log.SendRefused(logger, id, member, channel, errcode);
        switch (errcode)
        {
            case 45009: // the day's quota is spent: park the campaign until 00:00 China time
                await BackToPendingAsync(campaign.Id, content, r, channel, token, sendKey, time.GetUtcNow().UtcDateTime, errcode, ct);
                await quotas.MarkDaySpentAsync(channel, ct);
                return Signal.DaySpent;
            case 45011: // per-minute limit: this recipient and the rest of the batch wait for the next minute
                await BackToPendingAsync(campaign.Id, content, r, channel, token, sendKey, quotas.NextMinute(), errcode, ct);
                return Signal.MinuteFull;
            case -1:
                await RetryOrFailAsync(campaign, content, r, channel, token, sendKey, errcode, ct);
                return Signal.Continue;
            case 45015 or 45047:
                await recipients.FinishAsync(null, null, id, member, token, "skipped", channel, SkipReasons.WindowClosed, errcode, null, ct);
                return Signal.Continue;
            case 43101 when channel == CampaignChannels.Subscribe:
                await using (var c = await db.OpenConnectionAsync(ct))
                await using (var tx = await c.BeginTransactionAsync(ct))
                {
                    await credits.ZeroAsync(c, tx, member, content.Subscribe!.TemplateId, ct);
                    await recipients.FinishAsync(c, tx, id, member, token, "skipped", channel, SkipReasons.NoCredit, errcode, null, ct);
                    await tx.CommitAsync(ct);
                }
                return Signal.Continue;
            case 43101:
                await recipients.FinishAsync(null, null, id, member, token, "skipped", channel, SkipReasons.Refused, errcode, null, ct);
                return Signal.Continue;
            default:
                await recipients.FinishAsync(null, null, id, member, token, "failed", channel, SkipReasons.WeChatError, errcode, null, ct);
                return Signal.Continue;
        }
    }

    async Task RetryOrFailAsync(CampaignRow campaign, CampaignContent content, RecipientContext r, string channel, string token, string sendKey,
        int? errcode, CancellationToken ct)
    {
        var attempts = r.Attempts + 1;
        var o = options.Value;
        if (attempts >= o.MaxAttempts)
        {
            await recipients.FinishAsync(null, null, campaign.Id, r.MemberId, token, "failed", channel, SkipReasons.RetriesExhausted, errcode, null, ct);
            return;
        }
        var delay = o.RetryBaseDelay * Math.Pow(2, attempts - 1);
        await BackToPendingAsync(campaign.Id, content, r, channel, token, sendKey, time.GetUtcNow().UtcDateTime + delay, errcode, ct);
    }

    // The call did not deliver: the recipient is tried again later, and a spent subscribe credit is given back.
    async Task BackToPendingAsync(long campaignId, CampaignContent content, RecipientContext r, string channel, string token, string sendKey, DateTime at,
        int? errcode, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (channel == CampaignChannels.Subscribe)
            await credits.RefundAsync(c, tx, r.MemberId, content.Subscribe!.TemplateId, sendKey, r.Attempts + 1, ct);
        await recipients.RetryLaterAsync(c, tx, campaignId, r.MemberId, token, at, errcode, ct);
        await tx.CommitAsync(ct);
    }

    // Not accepted by WeChat: HTTP 5xx, connection refused, an open circuit.
    static bool IsTransient(Exception e) => e switch
    {
        HttpRequestException h => h.StatusCode is null || (int)h.StatusCode >= 500,
        _ => e.GetType().Name == "BrokenCircuitException",
    };

    static bool IsTimeout(Exception e) => e is TimeoutException or TaskCanceledException || e.GetType().Name == "TimeoutRejectedException";
}
