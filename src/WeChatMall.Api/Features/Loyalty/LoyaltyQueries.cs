using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Members;

namespace WeChatMall.Api.Features.Loyalty;

/// <summary>The loyalty parts of /api/me and of the admin member detail.</summary>
public sealed class LoyaltyQueries(MySqlDataSource db, TierStore tiers, IOptions<LoyaltyOptions> options) : IMemberLoyaltyView
{
    const string MemberSql = """
        SELECT tier AS Tier, invite_code AS InviteCode, lifetime_spend_fen AS LifetimeSpendFen, lifetime_points_earned AS LifetimePointsEarned,
               referrer_id AS ReferrerId, referred_at AS ReferredAt, points_owed AS PointsOwed,
               (SELECT COUNT(*) FROM members r WHERE r.referrer_id = m.id) AS RefereeCount
        FROM members m WHERE id = @memberId
        """;

    public async Task<MeLoyaltyDto?> ForMeAsync(long memberId, CancellationToken ct)
    {
        if (await ReadAsync(memberId, ct) is not { } m) return null;
        var all = await tiers.AllAsync(ct);
        var current = all.FirstOrDefault(t => t.Code == m.Tier);
        var next = all.FirstOrDefault(t => t.Rank > (current?.Rank ?? int.MinValue));
        var tier = new MeTierDto(current?.Code, current?.Name, current?.DiscountBasisPoints ?? 0, current?.PointsMultiplierPercent ?? 100,
            m.LifetimeSpendFen, m.LifetimePointsEarned,
            next is null ? null : new NextTierDto(next.Code, next.Name,
                next.MinSpendFen is { } s ? Math.Max(0, s - m.LifetimeSpendFen) : null,
                next.MinPointsEarned is { } p ? Math.Max(0, p - m.LifetimePointsEarned) : null));
        var link = options.Value.InviteBaseUrl is { Length: > 0 } baseUrl ? $"{baseUrl}?invite={Uri.EscapeDataString(m.InviteCode)}" : null;
        return new MeLoyaltyDto(tier, m.InviteCode, link, m.ReferrerId is not null, m.RefereeCount, m.PointsOwed);
    }

    public async Task<MemberReferralDto?> ReferralAsync(long memberId, CancellationToken ct) =>
        await ReadAsync(memberId, ct) is { } m ? new MemberReferralDto(m.ReferrerId, m.ReferredAt, m.RefereeCount) : null;

    async Task<Row?> ReadAsync(long memberId, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(MemberSql, new { memberId }, cancellationToken: ct));
    }

    sealed record Row
    {
        public string? Tier { get; init; }
        public string InviteCode { get; init; } = "";
        public long LifetimeSpendFen { get; init; }
        public long LifetimePointsEarned { get; init; }
        public long? ReferrerId { get; init; }
        public DateTime? ReferredAt { get; init; }
        public long RefereeCount { get; init; }
        public long PointsOwed { get; init; }
    }
}
