using System.Globalization;
using Dapper;
using MySqlConnector;
using WeChatMall.Api.Features.Campaigns.Mass;
using WeChatMall.Api.Features.Followers;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>GET /admin/campaigns/{id}/results: counted from the recipient rows and the orders table, never kept apart.</summary>
public sealed class CampaignResults(MySqlDataSource db, FollowerStore followers)
{
    // An order converts when a recipient paid it within the window after their own send; a refunded amount is not revenue.
    // WeChat Pay reports success_time to the second, so the send time is compared at the second too.
    const string ConversionsSql = """
        SELECT COUNT(DISTINCT o.member_id) AS Members, COUNT(*) AS Orders, CAST(COALESCE(SUM(o.payable_fen - o.refunded_fen), 0) AS SIGNED) AS Revenue
        FROM campaign_recipients r JOIN orders o ON o.member_id = r.member_id
        WHERE r.campaign_id = @id AND r.status = 'sent' AND o.paid_at IS NOT NULL
          AND o.status IN ('paid', 'shipped', 'completed')
          AND o.paid_at >= r.sent_at - INTERVAL MICROSECOND(r.sent_at) MICROSECOND AND o.paid_at < r.sent_at + INTERVAL @days DAY
        """;

    static MassResultsDto MassResults(IReadOnlyList<MassJobDto> jobs) => new(jobs.Count,
        jobs.Where(j => j.Status == "submitted").Sum(j => (long)j.Recipients), jobs.Count(j => j.WeChatStatus is not null),
        jobs.Sum(j => j.SentCount ?? 0), jobs.Sum(j => j.FilterCount ?? 0), jobs.Sum(j => j.ErrorCount ?? 0), jobs);

    public async Task<CampaignResultsDto?> GetAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        if (await CampaignStore.FindAsync(c, null, id, ct) is not { } campaign) return null;
        var rows = (await c.QueryAsync<(string Status, string? Channel, string? Reason, int? Errcode, long Count)>(new CommandDefinition("""
            SELECT status, channel, reason, errcode, COUNT(*) FROM campaign_recipients WHERE campaign_id = @id
            GROUP BY status, channel, reason, errcode
            """, new { id }, cancellationToken: ct))).ToList();
        var conv = await c.QuerySingleAsync<(long Members, long Orders, long Revenue)>(new CommandDefinition(
            ConversionsSql, new { id, days = campaign.AttributionDays }, cancellationToken: ct));
        static Dictionary<string, long> By(IEnumerable<(string Key, long Count)> xs) =>
            xs.GroupBy(x => x.Key).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(x => x.Count));
        return new CampaignResultsDto(id, campaign.Status, rows.Sum(r => r.Count),
            rows.Where(r => r.Status is "pending" or "claimed" or "sending").Sum(r => r.Count),
            rows.Where(r => r.Status == "sent").Sum(r => r.Count),
            By(rows.Where(r => r.Status == "sent").Select(r => (r.Channel ?? "", r.Count))),
            By(rows.Where(r => r.Status == "skipped").Select(r => (r.Reason ?? "", r.Count))),
            By(rows.Where(r => r.Status == "failed").Select(r => (r.Errcode is { } e ? e.ToString(CultureInfo.InvariantCulture) : r.Reason ?? "", r.Count))),
            campaign.AttributionDays, conv.Members, conv.Orders, conv.Revenue,
            campaign.ChannelList.Contains(CampaignChannels.Mass) ? MassResults(await MassJobStore.ListAsync(c, id, ct)) : null,
            await UnfollowedAfterSendAsync(c, id, ct));
    }

    // Sent recipients whose Official Account openid unfollowed after their send (the Followers feature's own reader).
    async Task<long> UnfollowedAfterSendAsync(MySqlConnection c, long id, CancellationToken ct)
    {
        var sent = (await c.QueryAsync<(long MemberId, string OpenId, DateTime SentAt)>(new CommandDefinition("""
            SELECT r.member_id, i.value, r.sent_at FROM campaign_recipients r
            JOIN member_identities i ON i.member_id = r.member_id AND i.kind = 'oa_openid'
            WHERE r.campaign_id = @id AND r.status = 'sent' AND r.sent_at IS NOT NULL
            """, new { id }, cancellationToken: ct))).AsList();
        if (sent.Count == 0) return 0;
        var unfollowed = await followers.UnsubscribedAtAsync(sent.Select(s => s.OpenId).ToList(), ct);
        return sent.Where(s => unfollowed.TryGetValue(s.OpenId, out var at) && at > s.SentAt).Select(s => s.MemberId).Distinct().LongCount();
    }
}
