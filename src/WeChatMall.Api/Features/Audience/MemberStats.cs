using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Features.Audience.Rfm;

namespace WeChatMall.Api.Features.Audience;

/// <summary>
/// The one writer of member_stats. A member's row is recomputed from the source tables (orders, followers, the message
/// log) by the same queries whether one member changed (inside the caller's transaction) or everything is rebuilt, so
/// the kept values and a rebuild cannot drift apart. Each query reads only the given members' rows through an index.
/// </summary>
public sealed class MemberStats(IOptions<AudienceOptions> options, RfmSettingsStore rfm, TimeProvider time)
{
    // A paid order counts while it is paid, shipped or completed and not fully refunded; refunds are deducted.
    const string OrdersSql = """
        SELECT member_id AS MemberId, MIN(paid_at) AS FirstPaidAt, MAX(paid_at) AS LastPaidAt, COUNT(*) AS PaidOrders,
               CAST(SUM(payable_fen - refunded_fen) AS SIGNED) AS NetSpendFen,
               MAX(CASE WHEN n = 2 THEN paid_at END) AS Last2PaidAt, MAX(CASE WHEN n = 3 THEN paid_at END) AS Last3PaidAt,
               MAX(CASE WHEN n = 4 THEN paid_at END) AS Last4PaidAt,
               CAST(SUM(CASE WHEN n <= 1 THEN payable_fen - refunded_fen ELSE 0 END) AS SIGNED) AS Last1NetFen,
               CAST(SUM(CASE WHEN n <= 2 THEN payable_fen - refunded_fen ELSE 0 END) AS SIGNED) AS Last2NetFen,
               CAST(SUM(CASE WHEN n <= 3 THEN payable_fen - refunded_fen ELSE 0 END) AS SIGNED) AS Last3NetFen
        FROM (
            SELECT member_id, paid_at, payable_fen, refunded_fen, ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY paid_at DESC, id DESC) AS n
            FROM orders
            WHERE member_id {0} AND status IN ('paid', 'shipped', 'completed') AND refund_state <> 'refunded'
        ) o
        GROUP BY member_id
        """;

    const string FollowersSql = """
        SELECT i.member_id AS MemberId, MAX(f.state = 'subscribed') AS Following,
               SUBSTRING_INDEX(GROUP_CONCAT(f.source_channel ORDER BY f.first_subscribed_at, f.id SEPARATOR '\n'), '\n', 1) AS FirstChannel
        FROM member_identities i JOIN followers f ON f.openid = i.value COLLATE utf8mb4_unicode_ci
        WHERE i.kind = 'oa_openid' AND i.member_id {0}
        GROUP BY i.member_id
        """;

    // The window opens 48 h after a message and 1 min after a follow, scan or click/scancode menu event; WeChat's own
    // job reports and an unfollow are not the follower talking.
    const string MessagesSql = """
        SELECT i.member_id AS MemberId,
               MAX(CASE WHEN m.msg_type <> 'event' OR m.event NOT IN ('unsubscribe', 'TEMPLATESENDJOBFINISH', 'MASSSENDJOBFINISH')
                        THEN m.received_at END) AS LastInteractionAt,
               MAX(CASE WHEN m.msg_type <> 'event' THEN m.received_at + INTERVAL @messageWindowSeconds SECOND
                        WHEN m.event IN ('subscribe', 'SCAN', 'CLICK', 'scancode_push', 'scancode_waitmsg')
                        THEN m.received_at + INTERVAL @eventWindowSeconds SECOND END) AS WindowUntil
        FROM member_identities i JOIN follower_messages m ON m.openid = i.value COLLATE utf8mb4_unicode_ci
        WHERE i.kind = 'oa_openid' AND i.member_id {0}
        GROUP BY i.member_id
        """;

    const string MembersSql = "SELECT id FROM members WHERE id {0} AND merged_into IS NULL";

    const string MarketplaceSql = "SELECT DISTINCT member_id FROM marketplace_orders WHERE member_id {0}";

    /// <summary>Recomputes these members' rows inside the caller's transaction (a merged member's row is removed).</summary>
    public async Task RefreshAsync(DbConnection c, DbTransaction? tx, IReadOnlyCollection<long> memberIds, CancellationToken ct)
    {
        if (memberIds.Count == 0) return;
        var ids = memberIds.Distinct().Order().ToList();
        var model = await rfm.ModelAsync(c, tx, ct);
        var rows = await ComputeAsync(c, tx, "IN @ids", new { ids }, model, ct);
        await WriteAsync(c, tx, rows, ct);
        var gone = ids.Except(rows.Select(r => r.MemberId)).ToList();
        if (gone.Count > 0)
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM member_stats WHERE member_id IN @gone", new { gone }, tx, cancellationToken: ct));
    }

    /// <summary>Recomputes the rows of members fromId..toId (the rebuild's batch); returns how many members it covered.</summary>
    public async Task<int> RefreshRangeAsync(DbConnection c, DbTransaction tx, long fromId, long toId, RfmModel model, CancellationToken ct)
    {
        // Lock the range first, so a payment's refresh of one of these members waits for this batch and then writes last.
        await c.ExecuteAsync(new CommandDefinition(
            "SELECT member_id FROM member_stats WHERE member_id BETWEEN @fromId AND @toId FOR UPDATE", new { fromId, toId }, tx, cancellationToken: ct));
        var rows = await ComputeAsync(c, tx, "BETWEEN @fromId AND @toId", new { fromId, toId }, model, ct);
        await WriteAsync(c, tx, rows, ct);
        await c.ExecuteAsync(new CommandDefinition("""
            DELETE s FROM member_stats s JOIN members m ON m.id = s.member_id
            WHERE s.member_id BETWEEN @fromId AND @toId AND m.merged_into IS NOT NULL
            """, new { fromId, toId }, tx, cancellationToken: ct));
        return rows.Count;
    }

    async Task<List<MemberStatsRow>> ComputeAsync(DbConnection c, DbTransaction? tx, string filter, object args, RfmModel model, CancellationToken ct)
    {
        var o = options.Value;
        var p = new DynamicParameters(args);
        p.Add("messageWindowSeconds", o.MessageWindowHours * 3600);
        p.Add("eventWindowSeconds", o.EventWindowSeconds);
        var members = (await c.QueryAsync<long>(new CommandDefinition(string.Format(null, MembersSql, filter), p, tx, cancellationToken: ct))).ToList();
        var orders = (await c.QueryAsync<OrderFacts>(new CommandDefinition(string.Format(null, OrdersSql, filter), p, tx, cancellationToken: ct)))
            .ToDictionary(x => x.MemberId);
        var follows = (await c.QueryAsync<FollowFacts>(new CommandDefinition(string.Format(null, FollowersSql, filter), p, tx, cancellationToken: ct)))
            .ToDictionary(x => x.MemberId);
        var messages = (await c.QueryAsync<MessageFacts>(new CommandDefinition(string.Format(null, MessagesSql, filter), p, tx, cancellationToken: ct)))
            .ToDictionary(x => x.MemberId);
        var marketplace = (await c.QueryAsync<long>(new CommandDefinition(string.Format(null, MarketplaceSql, filter), p, tx, cancellationToken: ct)))
            .ToHashSet();
        var now = time.GetUtcNow().UtcDateTime;
        return members.Select(id =>
        {
            var order = orders.GetValueOrDefault(id);
            var follow = follows.GetValueOrDefault(id);
            var message = messages.GetValueOrDefault(id);
            var following = follow?.Following == 1;
            var paidOrders = (int)(order?.PaidOrders ?? 0);
            var spend = order?.NetSpendFen ?? 0;
            var rfmScore = model.Classify(order?.LastPaidAt, paidOrders, spend, now);
            return new MemberStatsRow
            {
                MemberId = id, FirstPaidAt = order?.FirstPaidAt, LastPaidAt = order?.LastPaidAt, Last2PaidAt = order?.Last2PaidAt,
                Last3PaidAt = order?.Last3PaidAt, Last4PaidAt = order?.Last4PaidAt, Last1NetFen = order?.Last1NetFen ?? 0,
                Last2NetFen = order?.Last2NetFen ?? 0, Last3NetFen = order?.Last3NetFen ?? 0, PaidOrders = paidOrders,
                NetSpendFen = spend, AvgOrderFen = paidOrders == 0 ? 0 : spend / paidOrders,
                FirstChannel = string.IsNullOrEmpty(follow?.FirstChannel) ? null : follow.FirstChannel, Following = following,
                LastInteractionAt = message?.LastInteractionAt, WindowUntil = following ? message?.WindowUntil : null,
                MarketplaceCustomer = marketplace.Contains(id), RfmGroup = rfmScore.Group, RScore = rfmScore.R, FScore = rfmScore.F, MScore = rfmScore.M,
            };
        }).ToList();
    }

    // Rows in member-id order, so two transactions writing overlapping members lock them in the same order.
    async Task WriteAsync(DbConnection c, DbTransaction? tx, List<MemberStatsRow> rows, CancellationToken ct)
    {
        const int PerStatement = 500;
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var chunk in rows.OrderBy(r => r.MemberId).Chunk(PerStatement))
        {
            var p = new DynamicParameters();
            var values = new List<string>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                var r = chunk[i];
                values.Add($"(@m{i}, @fp{i}, @lp{i}, @l2{i}, @l3{i}, @l4{i}, @n1{i}, @n2{i}, @n3{i}, @po{i}, @ns{i}, @ao{i}, @fc{i}, @fo{i}, @li{i}, @wu{i}, @mc{i}, @rg{i}, @rs{i}, @fs{i}, @ms{i}, @now)");
                p.Add($"m{i}", r.MemberId); p.Add($"fp{i}", r.FirstPaidAt); p.Add($"lp{i}", r.LastPaidAt); p.Add($"l2{i}", r.Last2PaidAt);
                p.Add($"l3{i}", r.Last3PaidAt); p.Add($"l4{i}", r.Last4PaidAt); p.Add($"n1{i}", r.Last1NetFen); p.Add($"n2{i}", r.Last2NetFen);
                p.Add($"n3{i}", r.Last3NetFen); p.Add($"po{i}", r.PaidOrders);
                p.Add($"ns{i}", r.NetSpendFen); p.Add($"ao{i}", r.AvgOrderFen); p.Add($"fc{i}", r.FirstChannel); p.Add($"fo{i}", r.Following);
                p.Add($"li{i}", r.LastInteractionAt); p.Add($"wu{i}", r.WindowUntil); p.Add($"mc{i}", r.MarketplaceCustomer); p.Add($"rg{i}", r.RfmGroup);
                p.Add($"rs{i}", r.RScore); p.Add($"fs{i}", r.FScore); p.Add($"ms{i}", r.MScore);
            }
            p.Add("now", now);
            await c.ExecuteAsync(new CommandDefinition($"""
                INSERT INTO member_stats (member_id, first_paid_at, last_paid_at, last2_paid_at, last3_paid_at, last4_paid_at, last1_net_fen,
                    last2_net_fen, last3_net_fen, paid_orders, net_spend_fen, avg_order_fen, first_channel,
                    following, last_interaction_at, window_until, marketplace_customer, rfm_group, r_score, f_score, m_score, updated_at)
                VALUES {string.Join(",", values)}
                ON DUPLICATE KEY UPDATE first_paid_at = VALUES(first_paid_at), last_paid_at = VALUES(last_paid_at),
                    last2_paid_at = VALUES(last2_paid_at), last3_paid_at = VALUES(last3_paid_at), last4_paid_at = VALUES(last4_paid_at),
                    last1_net_fen = VALUES(last1_net_fen), last2_net_fen = VALUES(last2_net_fen), last3_net_fen = VALUES(last3_net_fen),
                    paid_orders = VALUES(paid_orders), net_spend_fen = VALUES(net_spend_fen), avg_order_fen = VALUES(avg_order_fen),
                    first_channel = VALUES(first_channel), following = VALUES(following), last_interaction_at = VALUES(last_interaction_at),
                    window_until = VALUES(window_until), marketplace_customer = VALUES(marketplace_customer), rfm_group = VALUES(rfm_group), r_score = VALUES(r_score),
                    f_score = VALUES(f_score), m_score = VALUES(m_score), updated_at = VALUES(updated_at)
                """, p, tx, cancellationToken: ct));
        }
    }

    /// <summary>Re-scores RFM of members fromId..toId with a new model (the rebuild's second pass, after the thresholds moved).</summary>
    public async Task RescoreRangeAsync(DbConnection c, DbTransaction tx, long fromId, long toId, RfmModel model, CancellationToken ct)
    {
        var rows = (await c.QueryAsync<MemberStatsRow>(new CommandDefinition(
            $"SELECT {MemberStatsRow.Columns} FROM member_stats WHERE member_id BETWEEN @fromId AND @toId FOR UPDATE",
            new { fromId, toId }, tx, cancellationToken: ct))).ToList();
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var r in rows)
        {
            var s = model.Classify(r.LastPaidAt, r.PaidOrders, r.NetSpendFen, now);
            if (s.Group == r.RfmGroup && s.R == r.RScore && s.F == r.FScore && s.M == r.MScore) continue;
            await c.ExecuteAsync(new CommandDefinition("""
                UPDATE member_stats SET rfm_group = @Group, r_score = @R, f_score = @F, m_score = @M WHERE member_id = @memberId
                """, new { s.Group, s.R, s.F, s.M, memberId = r.MemberId }, tx, cancellationToken: ct));
        }
    }

    /// <summary>A merged member keeps no stats row (its orders now count for the survivor).</summary>
    public static Task RemoveAsync(DbConnection c, DbTransaction tx, long memberId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM member_stats WHERE member_id = @memberId", new { memberId }, tx, cancellationToken: ct));

    public static async Task<MemberStatsRow?> FindAsync(DbConnection c, long memberId, CancellationToken ct) =>
        await c.QuerySingleOrDefaultAsync<MemberStatsRow>(new CommandDefinition(
            $"SELECT {MemberStatsRow.Columns} FROM member_stats WHERE member_id = @memberId", new { memberId }, cancellationToken: ct));

    sealed record OrderFacts
    {
        public long MemberId { get; init; }
        public DateTime? FirstPaidAt { get; init; }
        public DateTime? LastPaidAt { get; init; }
        public long PaidOrders { get; init; }
        public long NetSpendFen { get; init; }
        public DateTime? Last2PaidAt { get; init; }
        public DateTime? Last3PaidAt { get; init; }
        public DateTime? Last4PaidAt { get; init; }
        public long Last1NetFen { get; init; }
        public long Last2NetFen { get; init; }
        public long Last3NetFen { get; init; }
    }

    sealed record FollowFacts
    {
        public long MemberId { get; init; }
        public long Following { get; init; }
        public string? FirstChannel { get; init; }
    }

    sealed record MessageFacts
    {
        public long MemberId { get; init; }
        public DateTime? LastInteractionAt { get; init; }
        public DateTime? WindowUntil { get; init; }
    }
}
