using System.Data.Common;
using Dapper;
using MySqlConnector;
using WeChatMall.Api.Features.Audience.Segments;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>One claimed recipient with what the channel choice and the placeholders need.</summary>
public sealed record RecipientContext
{
    public long MemberId { get; init; }
    public string? Channel { get; init; }
    public int Attempts { get; init; }
    public string? OaOpenId { get; init; }
    public string? MpOpenId { get; init; }
    public bool Following { get; init; }
    public DateTime? WindowUntil { get; init; }
    public long Points { get; init; }
    public string? Tier { get; init; }
    public string? Nickname { get; init; }
    public int Credits { get; init; }
}

/// <summary>
/// The one writer of campaign_recipients, with RecipientBatchStore (the writes of a claimed batch, many rows per
/// statement). A recipient moves pending → claimed (a batch's token) → sending (written for the batch just before its
/// WeChat calls) → sent | skipped | failed, or back to pending to be retried. Every move after the claim names the
/// claim token, so a worker whose claim was taken over changes nothing.
/// </summary>
public sealed class RecipientStore(MySqlDataSource db, TimeProvider time)
{
    /// <summary>Freezes the segment's members now into recipient rows, in one INSERT … SELECT; returns how many.</summary>
    public async Task<long> FreezeAsync(MySqlConnection c, MySqlTransaction tx, long campaignId, CompiledRule rule, CancellationToken ct)
    {
        var p = new DynamicParameters(rule.Parameters);
        p.AddDynamicParams(new { campaignId, now = time.GetUtcNow().UtcDateTime });
        var from = rule.UsesMembers ? "member_stats s JOIN members m ON m.id = s.member_id" : "member_stats s";
        return await c.ExecuteAsync(new CommandDefinition($"""
            INSERT IGNORE INTO campaign_recipients (campaign_id, member_id, status, attempts, next_attempt_at, updated_at)
            SELECT @campaignId, s.member_id, 'pending', 0, @now, @now FROM {from} WHERE {rule.Where}
            """, p, tx, cancellationToken: ct, commandTimeout: 600));
    }

    /// <summary>
    /// One member as a recipient of a journey's campaign, in the caller's transaction, due at once; false when the member
    /// already is one (the primary key: a member gets a journey step's message at most once).
    /// </summary>
    public static async Task<bool> EnqueueAsync(DbConnection c, DbTransaction tx, long campaignId, long memberId, DateTime now, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO campaign_recipients (campaign_id, member_id, status, attempts, next_attempt_at, updated_at)
            VALUES (@campaignId, @memberId, 'pending', 0, @now, @now)
            """, new { campaignId, memberId, now }, tx, cancellationToken: ct)) == 1;

    /// <summary>
    /// Recipients left 'sending' by a worker that died: on the template channel WeChat's client_msg_id makes a resend
    /// harmless, so they go back to pending; on the others the call may have been accepted, so they are recorded as
    /// outcome_unknown rather than risk a second message. Mass recipients stay with their job, which is resent whole
    /// with its clientmsgid (MassSender).
    /// </summary>
    public async Task RecoverAsync(long campaignId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_recipients SET status = 'pending', claim_token = NULL, next_attempt_at = @now, updated_at = @now
            WHERE campaign_id = @campaignId AND status = 'sending' AND claimed_until < @now AND channel = 'template';
            UPDATE campaign_recipients SET status = 'failed', reason = 'outcome_unknown', claim_token = NULL, updated_at = @now
            WHERE campaign_id = @campaignId AND status = 'sending' AND claimed_until < @now AND channel NOT IN ('template', 'mass');
            """, new { campaignId, now }, cancellationToken: ct));
    }

    /// <summary>
    /// Recipients of cancelled campaigns left 'sending' by a worker that died: no worker delivers a cancelled campaign
    /// again, so RecoverAsync never sees them. Their call may have been accepted, and a cancelled campaign sends nothing
    /// more, so they end as outcome_unknown once their claim has lapsed (a live worker records its own outcomes). Mass
    /// recipients end with their job at the cancel (CancelPendingAsync).
    /// </summary>
    public async Task EndStrandedOfCancelledAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_recipients SET status = 'failed', reason = 'outcome_unknown', claim_token = NULL, updated_at = @now
            WHERE campaign_id IN (SELECT id FROM campaigns WHERE status = 'cancelled')
              AND status = 'sending' AND claimed_until < @now AND channel <> 'mass'
            """, new { now }, cancellationToken: ct));
    }

    /// <summary>Claims up to <paramref name="limit"/> due recipients (or ones whose claim lapsed before the call) for <paramref name="token"/>.</summary>
    public async Task<int> ClaimAsync(long campaignId, string token, int limit, TimeSpan hold, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        // One statement: InnoDB locks each row it updates, so two instances never claim the same recipient.
        return await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_recipients SET status = 'claimed', claim_token = @token, claimed_until = @until, updated_at = @now
            WHERE campaign_id = @campaignId
              AND ((status = 'pending' AND next_attempt_at <= @now) OR (status = 'claimed' AND claimed_until < @now))
            ORDER BY member_id LIMIT @limit
            """, new { campaignId, token, limit, now, until = now + hold }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<RecipientContext>> ClaimedAsync(string token, string? subscribeTemplateId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<RecipientContext>(new CommandDefinition($"""
            SELECT r.member_id AS MemberId, r.channel AS Channel, r.attempts AS Attempts, {ContextColumns}
            FROM campaign_recipients r JOIN members m ON m.id = r.member_id LEFT JOIN member_stats s ON s.member_id = r.member_id
            WHERE r.claim_token = @token AND r.status = 'claimed'
            ORDER BY r.member_id
            """, new { token, subscribeTemplateId = subscribeTemplateId ?? "" }, cancellationToken: ct))).AsList();
    }

    /// <summary>One member as a recipient would be seen (the test send); null when there is no such member.</summary>
    public async Task<RecipientContext?> ContextOfAsync(long memberId, string? subscribeTemplateId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<RecipientContext>(new CommandDefinition($"""
            SELECT m.id AS MemberId, {ContextColumns}
            FROM members m JOIN (SELECT @memberId AS member_id) r LEFT JOIN member_stats s ON s.member_id = m.id
            WHERE m.id = @memberId AND m.merged_into IS NULL
            """, new { memberId, subscribeTemplateId = subscribeTemplateId ?? "" }, cancellationToken: ct));
    }

    const string ContextColumns = """
                   (SELECT i.value FROM member_identities i WHERE i.member_id = r.member_id AND i.kind = 'oa_openid' ORDER BY i.id LIMIT 1) AS OaOpenId,
                   (SELECT i.value FROM member_identities i WHERE i.member_id = r.member_id AND i.kind = 'mp_openid' ORDER BY i.id LIMIT 1) AS MpOpenId,
                   COALESCE(s.following, FALSE) AS Following, s.window_until AS WindowUntil, m.points_balance AS Points, m.tier AS Tier,
                   (SELECT f.nickname FROM member_identities i JOIN followers f ON f.openid = i.value COLLATE utf8mb4_unicode_ci
                    WHERE i.member_id = r.member_id AND i.kind = 'oa_openid' ORDER BY i.id LIMIT 1) AS Nickname,
                   COALESCE((SELECT k.credits FROM member_subscribe_credits k WHERE k.member_id = r.member_id AND k.template_id = @subscribeTemplateId), 0) AS Credits
        """;

    /// <summary>The coupon granted to this recipient (member_coupons.id), read under a row lock; null when none yet.</summary>
    public static Task<long?> CouponOfAsync(DbConnection c, DbTransaction tx, long campaignId, long memberId, CancellationToken ct) =>
        c.ExecuteScalarAsync<long?>(new CommandDefinition("""
            SELECT member_coupon_id FROM campaign_recipients WHERE campaign_id = @campaignId AND member_id = @memberId FOR UPDATE
            """, new { campaignId, memberId }, tx, cancellationToken: ct));

    public static Task SetCouponAsync(DbConnection c, DbTransaction tx, long campaignId, long memberId, long memberCouponId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_recipients SET member_coupon_id = @memberCouponId WHERE campaign_id = @campaignId AND member_id = @memberId
            """, new { campaignId, memberId, memberCouponId }, tx, cancellationToken: ct));

    /// <summary>Mass send: claimed recipients of the batch that the rules keep out, skipped with <paramref name="reason"/>.</summary>
    public async Task SkipManyAsync(DbConnection? c, DbTransaction? tx, long campaignId, string token, IReadOnlyCollection<long> memberIds,
        string reason, CancellationToken ct)
    {
        if (memberIds.Count == 0) return;
        var own = c is null ? await db.OpenConnectionAsync(ct) : null;
        try
        {
            await (c ?? own!).ExecuteAsync(new CommandDefinition("""
                UPDATE campaign_recipients SET status = 'skipped', channel = 'mass', reason = @reason, claim_token = NULL, updated_at = @now
                WHERE campaign_id = @campaignId AND claim_token = @token AND status = 'claimed' AND member_id IN @memberIds
                """, new { campaignId, token, memberIds, reason, now = time.GetUtcNow().UtcDateTime }, tx, cancellationToken: ct));
        }
        finally
        {
            if (own is not null) await own.DisposeAsync();
        }
    }

    /// <summary>Whether recipients of the campaign other than this batch's are still waiting (pending, or claimed by another worker).</summary>
    public static async Task<bool> OthersOpenAsync(DbConnection c, DbTransaction tx, long campaignId, string token, CancellationToken ct) =>
        await c.ExecuteScalarAsync<bool>(new CommandDefinition("""
            SELECT EXISTS (SELECT 1 FROM campaign_recipients WHERE campaign_id = @campaignId AND status IN ('pending', 'claimed')
                           AND (claim_token IS NULL OR claim_token <> @token))
            """, new { campaignId, token }, tx, cancellationToken: ct));

    /// <summary>Mass send: claimed → sending, carried by the job <paramref name="jobId"/> (in the transaction that creates the job).</summary>
    public static async Task<int> MarkMassSendingAsync(DbConnection c, DbTransaction tx, long campaignId, string token, IReadOnlyCollection<long> memberIds,
        long jobId, DateTime now, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_recipients SET status = 'sending', channel = 'mass', mass_job_id = @jobId, attempts = attempts + 1, updated_at = @now
            WHERE campaign_id = @campaignId AND claim_token = @token AND status = 'claimed' AND member_id IN @memberIds
            """, new { campaignId, token, memberIds, jobId, now }, tx, cancellationToken: ct));

    /// <summary>The openids a mass job carries (its recipients still 'sending'), in member order: a resend names the same followers.</summary>
    public async Task<IReadOnlyList<string>> MassJobOpenIdsAsync(long campaignId, long jobId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return (await c.QueryAsync<string>(new CommandDefinition("""
            SELECT (SELECT i.value FROM member_identities i WHERE i.member_id = r.member_id AND i.kind = 'oa_openid' ORDER BY i.id LIMIT 1)
            FROM campaign_recipients r WHERE r.campaign_id = @campaignId AND r.mass_job_id = @jobId AND r.status = 'sending'
            ORDER BY r.member_id
            """, new { campaignId, jobId }, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// Mass send: the outcome of a job for all its recipients still 'sending', or ended as outcome_unknown when the campaign
    /// was cancelled during the call (sent, failed with the reason, or skipped when WeChat did not take it).
    /// </summary>
    public async Task FinishMassJobAsync(DbConnection c, DbTransaction tx, long campaignId, long jobId, string status, string? reason, int? errcode,
        long? msgId, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_recipients SET status = @status, reason = @reason, errcode = @errcode, wechat_msg_id = @msgId,
                sent_at = IF(@status = 'sent', @now, NULL), claim_token = NULL, updated_at = @now
            WHERE campaign_id = @campaignId AND mass_job_id = @jobId
              AND (status = 'sending' OR (status = 'failed' AND reason = 'outcome_unknown'))
            """, new { campaignId, jobId, status, reason, errcode, msgId, now = time.GetUtcNow().UtcDateTime }, tx, cancellationToken: ct));

    /// <summary>Mass send: WeChat did not take the job (quota): its recipients go back to pending, due at <paramref name="at"/>.</summary>
    public async Task ReturnMassJobAsync(DbConnection c, DbTransaction tx, long campaignId, long jobId, DateTime at, int? errcode, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_recipients SET status = 'pending', mass_job_id = NULL, claim_token = NULL, next_attempt_at = @at, errcode = @errcode, updated_at = @now
            WHERE campaign_id = @campaignId AND mass_job_id = @jobId AND status = 'sending'
            """, new { campaignId, jobId, at, errcode, now = time.GetUtcNow().UtcDateTime }, tx, cancellationToken: ct));

    /// <summary>Hands a batch's untouched recipients back (pause, cancel or a full quota seen mid-batch).</summary>
    public async Task ReleaseAsync(string token, DateTime at, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_recipients SET status = 'pending', claim_token = NULL, next_attempt_at = @at, updated_at = @now
            WHERE claim_token = @token AND status = 'claimed'
            """, new { token, at, now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    /// <summary>
    /// A cancelled campaign's recipients that were never sent are recorded as skipped (cancelled). Those of a mass job
    /// still 'sending' end as failed (outcome_unknown) with their job (MassJobStore.CancelSendingAsync): its call may have
    /// been taken by WeChat, and no worker calls it again. If that call's answer still arrives, the job's outcome replaces
    /// outcome_unknown (<see cref="FinishMassJobAsync"/>), and WeChat's MASSSENDJOBFINISH is matched to it by msg_id.
    /// </summary>
    public async Task CancelPendingAsync(DbConnection c, DbTransaction tx, long campaignId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_recipients SET status = 'skipped', reason = 'cancelled', claim_token = NULL, updated_at = @now
            WHERE campaign_id = @campaignId AND status IN ('pending', 'claimed')
            """, new { campaignId, now }, tx, cancellationToken: ct));
        if (await Mass.MassJobStore.CancelSendingAsync(c, tx, campaignId, now, ct) == 0) return;
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_recipients SET status = 'failed', reason = 'outcome_unknown', claim_token = NULL, updated_at = @now
            WHERE campaign_id = @campaignId AND status = 'sending' AND channel = 'mass'
            """, new { campaignId, now }, tx, cancellationToken: ct));
    }

    /// <summary>Recipients due now (pending, or claimed by a worker whose claim lapsed): what the next claims can take.</summary>
    public async Task<long> DueCountAsync(long campaignId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @campaignId
              AND ((status = 'pending' AND next_attempt_at <= @now) OR (status = 'claimed' AND claimed_until < @now))
            """, new { campaignId, now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    /// <summary>Recipients not yet finished (pending, claimed or sending).</summary>
    public async Task<long> OpenCountAsync(long campaignId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = @campaignId AND status IN ('pending', 'claimed', 'sending')",
            new { campaignId }, cancellationToken: ct));
    }
}
