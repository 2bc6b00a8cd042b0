using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Members;

/// <summary>Reads for /api/me (always scoped by the signed-in member's id) and the admin member pages.</summary>
public sealed class MemberQueries(MySqlDataSource db)
{
    const string MemberSql = """
        SELECT id AS Id, invite_code AS InviteCode, points_balance AS PointsBalance, tier AS Tier, created_at AS CreatedAt, merged_into AS MergedInto
        FROM members WHERE id = @memberId
        """;

    const string IdentitiesSql = """
        SELECT kind AS Kind, value AS Value, created_at AS CreatedAt FROM member_identities WHERE member_id = @memberId ORDER BY id
        """;

    // Newest first; id breaks ties of the same millisecond. One extra row tells whether there is a next page.
    const string LedgerSql = """
        SELECT id AS Id, delta AS Delta, balance_after AS BalanceAfter, reason AS Reason, reference AS Reference, created_at AS CreatedAt
        FROM points_ledger WHERE member_id = @memberId ORDER BY id DESC LIMIT @take OFFSET @skip
        """;

    const string SearchSql = """
        SELECT DISTINCT m.id AS Id, m.invite_code AS InviteCode, m.points_balance AS PointsBalance, m.tier AS Tier, m.created_at AS CreatedAt, m.merged_into AS MergedInto
        FROM members m LEFT JOIN member_identities i ON i.member_id = m.id
        WHERE m.id = @id OR m.invite_code = @q OR (i.kind IN ('mp_openid', 'oa_openid', 'unionid') AND i.value = @q)
           OR (i.kind = 'phone' AND i.value = @phone)
           OR (i.kind = 'oa_openid' AND i.value IN (SELECT openid FROM followers WHERE nickname = @q))
        ORDER BY m.id LIMIT 20
        """;

    public async Task<MeDto?> MeAsync(long memberId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        if (await c.QuerySingleOrDefaultAsync<MemberSummaryDto>(new CommandDefinition(MemberSql, new { memberId }, cancellationToken: ct)) is not { } m)
            return null;
        var kinds = (await c.QueryAsync<IdentityDto>(new CommandDefinition(IdentitiesSql, new { memberId }, cancellationToken: ct)))
            .Select(i => i.Kind).Distinct().ToList();
        return new MeDto(m.Id, m.InviteCode, m.PointsBalance, m.Tier, kinds, m.CreatedAt);
    }

    public async Task<PageDto<LedgerEntryDto>> PointsAsync(long memberId, int page, int pageSize, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = (await c.QueryAsync<LedgerEntryDto>(new CommandDefinition(LedgerSql,
            new { memberId, take = pageSize + 1, skip = (long)(page - 1) * pageSize }, cancellationToken: ct))).ToList();
        return new PageDto<LedgerEntryDto>(rows.Take(pageSize).ToList(), page, pageSize, rows.Count > pageSize);
    }

    /// <summary>Exact matches only: a member id, an invite code, an openid/UnionID, a phone number or a follower's nickname.</summary>
    public async Task<IReadOnlyList<MemberSummaryDto>> SearchAsync(string q, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        long? id = long.TryParse(q, out var n) ? n : null;
        return (await c.QueryAsync<MemberSummaryDto>(new CommandDefinition(SearchSql, new { q, id, phone = PhoneQuery(q) }, cancellationToken: ct))).ToList();
    }

    const string PhoneHolderSql = """
        SELECT i.member_id AS MemberId,
               EXISTS (SELECT 1 FROM member_identities w WHERE w.member_id = i.member_id AND w.kind <> 'phone') AS HasWeChatIdentity
        FROM member_identities i WHERE i.kind = 'phone' AND i.value = @phone
        """;

    /// <summary>
    /// The member holding a phone number ("+86…"), and whether it has a WeChat identity (false: a prospect, known by
    /// phone alone). Null when nobody holds it.
    /// </summary>
    public async Task<PhoneHolder?> PhoneHolderAsync(string phone, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<PhoneHolder>(new CommandDefinition(PhoneHolderSql, new { phone }, cancellationToken: ct));
    }

    // Phones are stored as "+<country><digits>" (BindPhone.Normalize); operators type "+86 138-0013-8000" or a bare
    // 11-digit mainland mobile number.
    internal static string? PhoneQuery(string q)
    {
        if (q.Any(ch => !char.IsAsciiDigit(ch) && ch is not ('+' or ' ' or '-'))) return null;
        var digits = new string(q.Where(char.IsAsciiDigit).ToArray());
        if (q.StartsWith('+')) return digits.Length is >= 7 and <= 15 ? "+" + digits : null;
        return digits.Length == 11 && digits[0] == '1' ? "+86" + digits : null;
    }

    public async Task<MemberDetailDto?> DetailAsync(long memberId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        if (await c.QuerySingleOrDefaultAsync<MemberSummaryDto>(new CommandDefinition(MemberSql, new { memberId }, cancellationToken: ct)) is not { } m)
            return null;
        var identities = (await c.QueryAsync<IdentityDto>(new CommandDefinition(IdentitiesSql, new { memberId }, cancellationToken: ct))).ToList();
        var recent = (await c.QueryAsync<LedgerEntryDto>(new CommandDefinition(LedgerSql,
            new { memberId, take = 20, skip = 0 }, cancellationToken: ct))).ToList();
        var follows = (await c.QueryAsync<MemberFollowDto>(new CommandDefinition(FollowsSql, new { memberId }, cancellationToken: ct))).ToList();
        var totals = await c.QuerySingleAsync<OrderTotals>(new CommandDefinition(OrderTotalsSql, new { memberId }, cancellationToken: ct));
        var latest = (await c.QueryAsync<MemberOrderRowDto>(new CommandDefinition(LatestOrdersSql, new { memberId }, cancellationToken: ct))).ToList();
        return new MemberDetailDto(m, identities, recent)
        {
            Follows = follows,
            Orders = new MemberOrdersSummaryDto(totals.Orders, totals.PaidOrders, totals.PaidFen, totals.PaidFen - totals.RefundedFen, latest),
        };
    }

    const string FollowsSql = """
        SELECT f.openid AS OpenId, f.nickname AS Nickname, f.state AS State, f.source_channel AS SourceChannel, f.last_channel AS LastChannel,
               f.first_subscribed_at AS FirstSubscribedAt
        FROM member_identities i JOIN followers f ON f.openid = i.value
        WHERE i.member_id = @memberId AND i.kind = 'oa_openid'
        ORDER BY f.id
        """;

    const string OrderTotalsSql = """
        SELECT COUNT(*) AS Orders, COUNT(paid_at) AS PaidOrders,
               COALESCE(SUM(CASE WHEN paid_at IS NOT NULL THEN payable_fen END), 0) AS PaidFen,
               COALESCE(SUM(CASE WHEN paid_at IS NOT NULL THEN refunded_fen END), 0) AS RefundedFen
        FROM orders WHERE member_id = @memberId
        """;

    const string LatestOrdersSql = """
        SELECT order_no, status, payable_fen, refunded_fen, created_at, paid_at
        FROM orders WHERE member_id = @memberId ORDER BY id DESC LIMIT 5
        """;

    sealed record OrderTotals
    {
        public int Orders { get; init; }
        public int PaidOrders { get; init; }
        public long PaidFen { get; init; }
        public long RefundedFen { get; init; }
    }
}

public sealed record PhoneHolder
{
    public long MemberId { get; init; }
    public bool HasWeChatIdentity { get; init; }
}
