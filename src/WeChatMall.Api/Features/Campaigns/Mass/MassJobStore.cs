using System.Data.Common;
using Dapper;
using MySqlConnector;
using WeChatMall.Api.Features.Followers;

namespace WeChatMall.Api.Features.Campaigns.Mass;

/// <summary>A mass-send call as recorded before it is made (campaign_mass_jobs).</summary>
public sealed record MassJobRow
{
    public long Id { get; init; }
    public long CampaignId { get; init; }
    public string ClientMsgId { get; init; } = "";
    public long? TagId { get; init; }
    public int Recipients { get; init; }
    public string Month { get; init; } = "";
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
}

/// <summary>
/// The one writer of campaign_mass_jobs and campaign_mass_results. A job is written 'sending' before its call, with its
/// clientmsgid c&lt;campaign&gt;k&lt;job&gt; and a lease; then → submitted (WeChat took it), returned (quota: the
/// recipients go back to pending) or failed. A job still 'sending' after its lease lapsed is taken over and called
/// again with the same clientmsgid: WeChat answers 45065 instead of sending twice, naming the msg_id of the job it took.
/// Cancelling the campaign moves a 'sending' job to cancelled (no worker calls it again; its recipients end as
/// outcome_unknown); the answer of a call still in flight then moves it on to submitted or failed.
/// </summary>
public static class MassJobStore
{
    // Every move of a job: its target status and the statuses it may leave.
    static readonly Dictionary<string, string[]> MovesFrom = new(StringComparer.Ordinal)
    {
        ["submitted"] = ["sending", "cancelled"],
        ["failed"] = ["sending", "cancelled"],
        ["returned"] = ["sending"],
        ["cancelled"] = ["sending"],
    };

    const string Columns = """
        id AS Id, campaign_id AS CampaignId, client_msg_id AS ClientMsgId, tag_id AS TagId, recipients AS Recipients, month AS Month,
        status AS Status, attempts AS Attempts
        """;

    public static async Task<MassJobRow> CreateAsync(DbConnection c, DbTransaction tx, long campaignId, long? tagId, int recipients, string month,
        DateTime leaseUntil, DateTime now, CancellationToken ct)
    {
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO campaign_mass_jobs (campaign_id, client_msg_id, tag_id, recipients, month, status, attempts, lease_until, created_at, updated_at)
            VALUES (@campaignId, @temporary, @tagId, @recipients, @month, 'sending', 1, @leaseUntil, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { campaignId, temporary = Guid.NewGuid().ToString("N"), tagId, recipients, month, leaseUntil, now }, tx, cancellationToken: ct));
        var clientMsgId = $"c{campaignId}k{id}";
        await c.ExecuteAsync(new CommandDefinition("UPDATE campaign_mass_jobs SET client_msg_id = @clientMsgId WHERE id = @id",
            new { id, clientMsgId }, tx, cancellationToken: ct));
        return new MassJobRow
        {
            Id = id, CampaignId = campaignId, ClientMsgId = clientMsgId, TagId = tagId, Recipients = recipients, Month = month,
            Status = "sending", Attempts = 1,
        };
    }

    /// <summary>A job of the campaign still 'sending' whose lease lapsed (its worker died or gave up for now), now leased to the caller.</summary>
    public static async Task<MassJobRow?> TakeLapsedAsync(MySqlDataSource db, long campaignId, DateTime now, DateTime leaseUntil, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var ids = await c.QueryAsync<long>(new CommandDefinition("""
            SELECT id FROM campaign_mass_jobs WHERE campaign_id = @campaignId AND status = 'sending' AND lease_until < @now ORDER BY id LIMIT 5
            """, new { campaignId, now }, cancellationToken: ct));
        foreach (var id in ids)
        {
            var taken = await c.ExecuteAsync(new CommandDefinition("""
                UPDATE campaign_mass_jobs SET lease_until = @leaseUntil, attempts = attempts + 1, updated_at = @now
                WHERE id = @id AND status = 'sending' AND lease_until < @now
                """, new { id, now, leaseUntil }, cancellationToken: ct));
            if (taken == 1)
                return await c.QuerySingleAsync<MassJobRow>(new CommandDefinition($"SELECT {Columns} FROM campaign_mass_jobs WHERE id = @id",
                    new { id }, cancellationToken: ct));
        }
        return null;
    }

    /// <summary>
    /// Moves a job to <paramref name="status"/> (submitted, returned or failed) from a status that move may leave; false
    /// when another worker already recorded its outcome, or when the move does not apply (a cancelled job is not returned).
    /// </summary>
    public static async Task<bool> FinishAsync(DbConnection c, DbTransaction tx, long id, string status, long? msgId, long? msgDataId, int? errcode,
        DateTime now, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_mass_jobs SET status = @status, msg_id = COALESCE(@msgId, msg_id), msg_data_id = COALESCE(@msgDataId, msg_data_id),
                errcode = @errcode, updated_at = @now
            WHERE id = @id AND status IN @from
            """, new { id, status, from = MovesFrom[status], msgId, msgDataId, errcode, now }, tx, cancellationToken: ct)) == 1;

    /// <summary>The campaign was cancelled: its jobs still 'sending' are called no more. Returns how many were.</summary>
    public static async Task<int> CancelSendingAsync(DbConnection c, DbTransaction tx, long campaignId, DateTime now, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_mass_jobs SET status = 'cancelled', updated_at = @now WHERE campaign_id = @campaignId AND status IN @from
            """, new { campaignId, from = MovesFrom["cancelled"], now }, tx, cancellationToken: ct));

    /// <summary>A transient failure: the job stays 'sending' and is called again (same clientmsgid) once its lease lapses at <paramref name="at"/>.</summary>
    public static async Task RetryLaterAsync(MySqlDataSource db, long id, DateTime at, DateTime now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE campaign_mass_jobs SET lease_until = @at, updated_at = @now WHERE id = @id AND status = 'sending'",
            new { id, at, now }, cancellationToken: ct));
    }

    /// <summary>MASSSENDJOBFINISH: WeChat's report for msg_id; the first report wins, so a retried callback changes nothing.</summary>
    public static async Task<bool> RecordResultAsync(DbConnection c, DbTransaction tx, long msgId, MassJobReport r, DateTime now, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO campaign_mass_results (msg_id, status, total_count, filter_count, sent_count, error_count, received_at)
            VALUES (@msgId, @Status, @TotalCount, @FilterCount, @SentCount, @ErrorCount, @now)
            """, new { msgId, r.Status, r.TotalCount, r.FilterCount, r.SentCount, r.ErrorCount, now }, tx, cancellationToken: ct)) == 1;

    /// <summary>The WeChat tag id our audience tag is synced to (audience_tags.wechat_tag_id), or null.</summary>
    public static async Task<long?> WeChatTagOfAsync(MySqlDataSource db, long tagId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT wechat_tag_id FROM audience_tags WHERE id = @tagId",
            new { tagId }, cancellationToken: ct));
    }

    /// <summary>Which of these openids we put under the WeChat tag (wechat_user_tags, kept by the audience's tag sync).</summary>
    public static async Task<HashSet<string>> TaggedAsync(MySqlDataSource db, long wechatTagId, IReadOnlyList<string> openIds, CancellationToken ct)
    {
        var tagged = new HashSet<string>(StringComparer.Ordinal);
        await using var c = await db.OpenConnectionAsync(ct);
        foreach (var chunk in openIds.Chunk(1_000))
            tagged.UnionWith(await c.QueryAsync<string>(new CommandDefinition(
                "SELECT openid FROM wechat_user_tags WHERE wechat_tag_id = @wechatTagId AND openid IN @chunk",
                new { wechatTagId, chunk }, cancellationToken: ct)));
        return tagged;
    }

    /// <summary>A campaign's jobs with WeChat's report where it arrived, oldest first.</summary>
    public static async Task<IReadOnlyList<MassJobDto>> ListAsync(DbConnection c, long campaignId, CancellationToken ct) =>
        (await c.QueryAsync<MassJobDto>(new CommandDefinition("""
            SELECT j.id AS Id, j.client_msg_id AS ClientMsgId, j.tag_id AS TagId, j.recipients AS Recipients, j.status AS Status,
                   j.attempts AS Attempts, j.msg_id AS MsgId, j.errcode AS Errcode, r.status AS WeChatStatus, r.total_count AS TotalCount,
                   r.filter_count AS FilterCount, r.sent_count AS SentCount, r.error_count AS ErrorCount, j.created_at AS CreatedAt
            FROM campaign_mass_jobs j LEFT JOIN campaign_mass_results r ON r.msg_id = j.msg_id
            WHERE j.campaign_id = @campaignId ORDER BY j.id
            """, new { campaignId }, cancellationToken: ct))).AsList();
}
