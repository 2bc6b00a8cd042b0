using System.Data.Common;
using System.Text.Json;
using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>
/// RecipientStore's writes for a whole claimed batch (split from it to keep files small; together they are the one
/// writer of campaign_recipients): each is one statement for many recipients, so a batch costs a constant number of
/// writes instead of two per recipient. Every statement names the claim token and the status it expects, so a worker
/// whose claim was taken over (or recovered) changes nothing.
/// </summary>
public sealed class RecipientBatchStore(MySqlDataSource db)
{
    /// <summary>A sent recipient and WeChat's msgid (template messages have one).</summary>
    public sealed record Sent(long MemberId, long? MsgId);

    /// <summary>The batch's claim is still being worked: its rows stay held until <paramref name="until"/>; how many rows are still ours.</summary>
    public async Task<int> RenewAsync(string token, DateTime until, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_recipients SET claimed_until = @until
            WHERE claim_token = @token AND status IN ('claimed', 'sending')
            """, new { token, until }, cancellationToken: ct));
    }

    /// <summary>Locks the batch's rows that are still claimed by <paramref name="token"/> (for the 'sending' transaction) and returns them.</summary>
    public static async Task<HashSet<long>> LockClaimedAsync(DbConnection c, DbTransaction tx, long campaignId, string token,
        IReadOnlyCollection<long> memberIds, CancellationToken ct) =>
        memberIds.Count == 0 ? [] : [.. await c.QueryAsync<long>(new CommandDefinition("""
            SELECT member_id FROM campaign_recipients
            WHERE campaign_id = @campaignId AND member_id IN @memberIds AND claim_token = @token AND status = 'claimed'
            ORDER BY member_id FOR UPDATE
            """, new { campaignId, memberIds, token }, tx, cancellationToken: ct))];

    /// <summary>Claimed → sending on <paramref name="channel"/>, one attempt more, for all <paramref name="memberIds"/>.</summary>
    public static async Task MarkSendingAsync(DbConnection c, DbTransaction tx, long campaignId, string token, string channel,
        IReadOnlyCollection<long> memberIds, DateTime now, CancellationToken ct)
    {
        if (memberIds.Count == 0) return;
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_recipients SET status = 'sending', channel = @channel, attempts = attempts + 1, updated_at = @now
            WHERE campaign_id = @campaignId AND member_id IN @memberIds AND claim_token = @token AND status = 'claimed'
            """, new { campaignId, memberIds, token, channel, now }, tx, cancellationToken: ct));
    }

    /// <summary>Records one outcome (skipped or failed) for many recipients, from claimed or sending; a null channel keeps the row's.</summary>
    public static async Task FinishAsync(DbConnection c, DbTransaction? tx, long campaignId, string token, IReadOnlyCollection<long> memberIds,
        string status, string? channel, string? reason, int? errcode, DateTime now, CancellationToken ct)
    {
        if (memberIds.Count == 0) return;
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_recipients SET status = @status, channel = COALESCE(@channel, channel), reason = @reason, errcode = @errcode,
                wechat_msg_id = NULL, sent_at = NULL, claim_token = NULL, updated_at = @now
            WHERE campaign_id = @campaignId AND member_id IN @memberIds AND claim_token = @token AND status IN ('claimed', 'sending')
            """, new { campaignId, memberIds, token, status, channel, reason, errcode, now }, tx, cancellationToken: ct));
    }

    /// <summary>Sending → sent for every recipient WeChat accepted, with its msgid: one UPDATE joined to the list.</summary>
    public static async Task FinishSentAsync(DbConnection c, DbTransaction tx, long campaignId, string token, IReadOnlyCollection<Sent> sent,
        DateTime now, CancellationToken ct)
    {
        if (sent.Count == 0) return;
        var rows = JsonSerializer.Serialize(sent.Select(s => new object?[] { s.MemberId, s.MsgId }));
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_recipients r
            JOIN JSON_TABLE(@rows, '$[*]' COLUMNS (member_id BIGINT PATH '$[0]', msg_id BIGINT PATH '$[1]')) s ON s.member_id = r.member_id
            SET r.status = 'sent', r.reason = NULL, r.errcode = NULL, r.wechat_msg_id = s.msg_id, r.sent_at = @now, r.claim_token = NULL,
                r.updated_at = @now
            WHERE r.campaign_id = @campaignId AND r.claim_token = @token AND r.status = 'sending'
            """, new { campaignId, token, rows, now }, tx, cancellationToken: ct));
    }

    /// <summary>Back to pending, to be tried again at <paramref name="at"/> (the channel already chosen is kept).</summary>
    public static async Task RetryLaterAsync(DbConnection c, DbTransaction tx, long campaignId, string token, IReadOnlyCollection<long> memberIds,
        DateTime at, int? errcode, DateTime now, CancellationToken ct)
    {
        if (memberIds.Count == 0) return;
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_recipients SET status = 'pending', claim_token = NULL, next_attempt_at = @at, errcode = @errcode, updated_at = @now
            WHERE campaign_id = @campaignId AND member_id IN @memberIds AND claim_token = @token AND status IN ('claimed', 'sending')
            """, new { campaignId, memberIds, token, at, errcode, now }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// Sending recipients whose call was never made (the batch stopped at a quota answer) go back to claimed with the
    /// channel they had before (none when <paramref name="freshChannel"/>), for the caller's release. The attempt stays
    /// counted: a subscribe credit's refund is keyed by it.
    /// </summary>
    public static async Task UnmarkSendingAsync(DbConnection c, DbTransaction tx, long campaignId, string token, IReadOnlyCollection<long> memberIds,
        bool freshChannel, DateTime now, CancellationToken ct)
    {
        if (memberIds.Count == 0) return;
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_recipients SET status = 'claimed', channel = IF(@freshChannel, NULL, channel), updated_at = @now
            WHERE campaign_id = @campaignId AND member_id IN @memberIds AND claim_token = @token AND status = 'sending'
            """, new { campaignId, memberIds, token, freshChannel, now }, tx, cancellationToken: ct));
    }
}
