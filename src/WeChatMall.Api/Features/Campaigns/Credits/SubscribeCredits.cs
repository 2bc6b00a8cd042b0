using System.Data.Common;
using Dapper;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Database;

namespace WeChatMall.Api.Features.Campaigns.Credits;

/// <summary>
/// The one writer of member_subscribe_credits and subscribe_credit_events: one accepted one-time subscription is one
/// send of that template (WeChat keeps the balance but no API reports it). Every change is an event row with a unique
/// key written in the same statement batch, so a retried callback, a repeated report or a re-run send changes the
/// balance once.
/// </summary>
public sealed class SubscribeCredits(MySqlDataSource db, TimeProvider time)
{
    /// <summary>Adds one credit unless <paramref name="key"/> was applied before; true when it was added now.</summary>
    public async Task<bool> GrantAsync(DbConnection c, DbTransaction tx, long memberId, string templateId, string key, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (!await RecordAsync(c, tx, key, memberId, templateId, 1, reason, now, ct)) return false;
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO member_subscribe_credits (member_id, template_id, credits, updated_at) VALUES (@memberId, @templateId, 1, @now)
            ON DUPLICATE KEY UPDATE credits = credits + 1, updated_at = @now
            """, new { memberId, templateId, now }, tx, cancellationToken: ct));
        return true;
    }

    /// <summary>
    /// Spends one credit for the send <paramref name="key"/>; false when there is none. Spending the same key twice
    /// (a send resumed after a crash) spends once and answers true.
    /// </summary>
    public async Task<bool> SpendAsync(DbConnection c, DbTransaction tx, long memberId, string templateId, string key, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var spent = await c.ExecuteAsync(new CommandDefinition("""
            UPDATE member_subscribe_credits SET credits = credits - 1, updated_at = @now
            WHERE member_id = @memberId AND template_id = @templateId AND credits > 0
              AND NOT EXISTS (SELECT 1 FROM subscribe_credit_events WHERE idempotency_key = @key)
            """, new { memberId, templateId, now, key }, tx, cancellationToken: ct));
        if (spent == 1) return await RecordAsync(c, tx, key, memberId, templateId, -1, "send", now, ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM subscribe_credit_events WHERE idempotency_key = @key", new { key }, tx, cancellationToken: ct)) > 0;
    }

    /// <summary>Gives back the credit of a send that did not reach WeChat (it will be tried again later).</summary>
    public async Task RefundAsync(DbConnection c, DbTransaction tx, long memberId, string templateId, string sendKey, int attempt, CancellationToken ct)
    {
        // The refund is keyed per attempt, and the spend's key is freed so the next attempt spends again.
        if (await GrantAsync(c, tx, memberId, templateId, $"{sendKey}:refund:{attempt}", "send_refund", ct))
            await c.ExecuteAsync(new CommandDefinition("""
                UPDATE subscribe_credit_events SET idempotency_key = CONCAT(idempotency_key, ':', @attempt) WHERE idempotency_key = @sendKey
                """, new { sendKey, attempt }, tx, cancellationToken: ct));
    }

    /// <summary>WeChat answered 43101 (no subscription or refused): whatever we counted, the balance is zero.</summary>
    public async Task ZeroAsync(DbConnection c, DbTransaction tx, long memberId, string templateId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE member_subscribe_credits SET credits = 0, updated_at = @now WHERE member_id = @memberId AND template_id = @templateId
            """, new { memberId, templateId, now }, tx, cancellationToken: ct));
    }

    // One-off sends outside a campaign (another feature's notice, e.g. Payments' "order paid"), each change in a
    // transaction of its own. The send key names the send: spent once however often the send is tried; a call that did
    // not reach WeChat gives the credit back and frees the key, so the next try spends again.
    /// <summary>Spends one credit for <paramref name="sendKey"/>; false when the member has none (nothing to send).</summary>
    public Task<bool> SpendForSendAsync(long memberId, string templateId, string sendKey, CancellationToken ct) =>
        LockConflictRetry.RunAsync(async () =>
        {
            await using var c = await db.OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var spent = await SpendAsync(c, tx, memberId, templateId, sendKey, ct);
            await tx.CommitAsync(ct);
            return spent;
        }, ct);

    /// <summary>Gives back the credit <paramref name="sendKey"/> spent; the refunds of one send are numbered here (the caller keeps no count).</summary>
    public Task GiveBackAsync(long memberId, string templateId, string sendKey, CancellationToken ct) =>
        LockConflictRetry.RunAsync(async () =>
        {
            await using var c = await db.OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var prefix = sendKey + ":refund:";
            var given = await c.ExecuteScalarAsync<int>(new CommandDefinition("""
                SELECT COUNT(*) FROM subscribe_credit_events
                WHERE member_id = @memberId AND template_id = @templateId AND LEFT(idempotency_key, CHAR_LENGTH(@prefix)) = @prefix
                FOR UPDATE
                """, new { memberId, templateId, prefix }, tx, cancellationToken: ct));
            await RefundAsync(c, tx, memberId, templateId, sendKey, given + 1, ct);
            await tx.CommitAsync(ct);
        }, ct);

    /// <summary>WeChat answered 43101 to a one-off send: the balance is zero.</summary>
    public Task ZeroAsync(long memberId, string templateId, CancellationToken ct) =>
        LockConflictRetry.RunAsync(async () =>
        {
            await using var c = await db.OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            await ZeroAsync(c, tx, memberId, templateId, ct);
            await tx.CommitAsync(ct);
        }, ct);

    /// <summary>
    /// One member's balances, every template it ever had a credit for (an empty list for an unknown member): the
    /// template's title when the registry knows it, and the last change (its reason and time).
    /// </summary>
    public static async Task<IReadOnlyList<MemberSubscribeCreditDto>> OfMemberAsync(DbConnection c, long memberId, CancellationToken ct) =>
        (await c.QueryAsync<MemberSubscribeCreditDto>(new CommandDefinition("""
            SELECT m.template_id AS TemplateId, t.title AS Title, m.credits AS Credits, m.updated_at AS UpdatedAt,
                   (SELECT e.reason FROM subscribe_credit_events e WHERE e.member_id = m.member_id AND e.template_id = m.template_id
                    ORDER BY e.id DESC LIMIT 1) AS LastReason
            FROM member_subscribe_credits m
            LEFT JOIN campaign_templates t ON t.kind = 'subscribe' AND t.template_id = m.template_id
            WHERE m.member_id = @memberId
            ORDER BY m.updated_at DESC, m.template_id
            """, new { memberId }, cancellationToken: ct))).AsList();

    public static async Task<int> BalanceAsync(DbConnection c, long memberId, string templateId, CancellationToken ct) =>
        await c.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT credits FROM member_subscribe_credits WHERE member_id = @memberId AND template_id = @templateId",
            new { memberId, templateId }, cancellationToken: ct)) ?? 0;

    static async Task<bool> RecordAsync(DbConnection c, DbTransaction tx, string key, long memberId, string templateId, int delta, string reason,
        DateTime now, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO subscribe_credit_events (idempotency_key, member_id, template_id, delta, reason, created_at)
            VALUES (@key, @memberId, @templateId, @delta, @reason, @now)
            """, new { key, memberId, templateId, delta, reason, now }, tx, cancellationToken: ct)) == 1;
}
