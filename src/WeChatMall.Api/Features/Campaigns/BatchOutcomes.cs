using System.Data.Common;
using WeChatMall.Api.Features.Campaigns.Credits;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>One recipient of a batch with the channel chosen for it and the values of its placeholders.</summary>
public sealed record PlannedSend(RecipientContext R, string Channel, CampaignContent.Person Person);

/// <summary>
/// What happened to each recipient of a claimed batch, collected in memory while the calls run (thread-safe) and then
/// written in one transaction with a few statements: one for all sent rows, one per (outcome, reason, errcode), one
/// per retry time. It also carries the batch's quota signal: once a call answers 45009 or 45011 the calls not yet
/// made are not made (<see cref="Stopped"/>).
/// </summary>
public sealed class BatchOutcomes(long campaignId, string token, string? subscribeTemplateId)
{
    enum Kind { Sent, Finish, ZeroCredit, Retry, Unsent }

    sealed record Entry(long MemberId, Kind Kind, RecipientContext? R = null, string? Status = null, string? Channel = null,
        string? Reason = null, int? Errcode = null, long? MsgId = null, DateTime At = default);

    readonly Lock _lock = new();
    readonly List<Entry> _entries = [];
    CampaignSender.Signal _signal = CampaignSender.Signal.Continue;

    /// <summary>The worst quota signal seen: Continue, MinuteFull or DaySpent.</summary>
    public CampaignSender.Signal Signal
    {
        get { lock (_lock) return _signal; }
    }

    public bool Stopped => Signal != CampaignSender.Signal.Continue;

    public static CampaignSender.Signal Worse(CampaignSender.Signal a, CampaignSender.Signal b) => a > b ? a : b;

    public void Raise(CampaignSender.Signal s)
    {
        lock (_lock) _signal = Worse(_signal, s);
    }

    public void Sent(PlannedSend p, long? msgId) => Add(new(p.R.MemberId, Kind.Sent, MsgId: msgId));

    /// <summary>Skipped or failed, for good; a null channel keeps the row's.</summary>
    public void Finish(long memberId, string status, string? channel, string? reason, int? errcode = null) =>
        Add(new(memberId, Kind.Finish, Status: status, Channel: channel, Reason: reason, Errcode: errcode));

    /// <summary>WeChat answered 43101 to a subscribe send: the balance is zero and the recipient is skipped (no credit).</summary>
    public void ZeroCredit(PlannedSend p, int errcode) => Add(new(p.R.MemberId, Kind.ZeroCredit, p.R, Channel: p.Channel, Errcode: errcode));

    /// <summary>The call did not deliver: back to pending, due at <paramref name="at"/>; a spent subscribe credit is given back.</summary>
    public void Retry(PlannedSend p, DateTime at, int? errcode) => Add(new(p.R.MemberId, Kind.Retry, p.R, Channel: p.Channel, Errcode: errcode, At: at));

    /// <summary>Marked sending but never called (the batch stopped at a quota answer): back to claimed for the caller's release.</summary>
    public void Unsent(PlannedSend p) => Add(new(p.R.MemberId, Kind.Unsent, p.R, Channel: p.Channel));

    public bool IsEmpty
    {
        get { lock (_lock) return _entries.Count == 0; }
    }

    void Add(Entry e)
    {
        lock (_lock) _entries.Add(e);
    }

    /// <summary>Writes everything collected, in the caller's transaction (a rolled-back attempt may write it again).</summary>
    public async Task WriteAsync(DbConnection c, DbTransaction tx, SubscribeCredits credits, DateTime now, CancellationToken ct)
    {
        List<Entry> all;
        lock (_lock) all = [.. _entries];
        var sent = all.Where(e => e.Kind == Kind.Sent).Select(e => new RecipientBatchStore.Sent(e.MemberId, e.MsgId)).ToList();
        await RecipientBatchStore.FinishSentAsync(c, tx, campaignId, token, sent, now, ct);

        foreach (var e in all.Where(e => e.Kind is Kind.ZeroCredit))
            await credits.ZeroAsync(c, tx, e.MemberId, subscribeTemplateId!, ct);
        var finished = all.Where(e => e.Kind is Kind.Finish)
            .Concat(all.Where(e => e.Kind is Kind.ZeroCredit).Select(e => e with { Status = "skipped", Reason = SkipReasons.NoCredit }));
        foreach (var g in finished.GroupBy(e => (e.Status, e.Channel, e.Reason, e.Errcode)))
            await RecipientBatchStore.FinishAsync(c, tx, campaignId, token, Ids(g), g.Key.Status!, g.Key.Channel, g.Key.Reason, g.Key.Errcode, now, ct);

        // The spend of a call that was not made, or did not deliver, is given back (keyed per attempt, see SubscribeCredits).
        foreach (var e in all.Where(e => e.Kind is Kind.Retry or Kind.Unsent && e.Channel == CampaignChannels.Subscribe))
            await credits.RefundAsync(c, tx, e.MemberId, subscribeTemplateId!, CampaignSender.SendKey(campaignId, e.MemberId), e.R!.Attempts + 1, ct);
        foreach (var g in all.Where(e => e.Kind is Kind.Retry).GroupBy(e => (e.At, e.Errcode)))
            await RecipientBatchStore.RetryLaterAsync(c, tx, campaignId, token, Ids(g), g.Key.At, g.Key.Errcode, now, ct);
        foreach (var g in all.Where(e => e.Kind is Kind.Unsent).GroupBy(e => e.R!.Channel is null))
            await RecipientBatchStore.UnmarkSendingAsync(c, tx, campaignId, token, Ids(g), g.Key, now, ct);
    }

    /// <summary>Forgets what was written (the next phase of the batch collects afresh).</summary>
    public void Clear()
    {
        lock (_lock) _entries.Clear();
    }

    static List<long> Ids(IEnumerable<Entry> entries) => [.. entries.Select(e => e.MemberId)];
}
