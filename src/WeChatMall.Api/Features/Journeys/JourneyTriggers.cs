using Dapper;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Features.Loyalty;

namespace WeChatMall.Api.Features.Journeys;

/// <summary>
/// Who a trigger lets in now: a SELECT of (member_id, entered) over the facts the other features keep, read-only. Member
/// stats are kept by Audience inside the transaction of every payment, refund and follow (IMemberActivity), so a paid
/// order is visible here once it commits, whichever path applied it; nothing in Orders, Payments or Members knows
/// journeys exist. Events before the journey's first activation (@since) never enrol anyone; the state-based triggers
/// (no purchase, expiring points or coupons) take every member in that state when the journey runs. The paid triggers
/// compare at the second: WeChat Pay stamps a payment to the second, so a payment in the second of the activation (or of
/// the watermark) would otherwise read as earlier than it and never enrol (see <see cref="BoughtSince"/>).
/// </summary>
public sealed class JourneyTriggers(IOptions<LoyaltyOptions> loyalty)
{
    public sealed record Query(string Sql, DynamicParameters Parameters);

    /// <summary>The members <paramref name="t"/> lets in at <paramref name="now"/>, or null when it can let in nobody (points never expire).</summary>
    public Query? For(JourneyTrigger t, DateTime since, DateTime now)
    {
        var p = new DynamicParameters(new { since, now, paidSince = since.AddTicks(-(since.Ticks % TimeSpan.TicksPerSecond)) });
        switch (t.Type)
        {
            case TriggerTypes.FirstOrderPaid:
                return new("SELECT s.member_id, s.first_paid_at AS entered FROM member_stats s WHERE s.first_paid_at >= @paidSince", p);
            case TriggerTypes.OrderPaid:
                return new("SELECT s.member_id, s.last_paid_at AS entered FROM member_stats s WHERE s.last_paid_at >= @paidSince", p);
            case TriggerTypes.Followed when t.ChannelId is { } channelId:
                p.Add("channelId", channelId);
                return new("""
                    SELECT i.member_id, cf.followed_at AS entered FROM channel_followers cf
                    JOIN member_identities i ON i.kind = 'oa_openid' AND i.value = cf.openid
                    JOIN members m ON m.id = i.member_id AND m.merged_into IS NULL
                    WHERE cf.channel_id = @channelId AND cf.followed_at >= @since
                    """, p);
            case TriggerTypes.Followed:
                return new("""
                    SELECT i.member_id, f.last_subscribed_at AS entered FROM followers f
                    JOIN member_identities i ON i.kind = 'oa_openid' AND i.value = f.openid COLLATE utf8mb4_bin
                    JOIN members m ON m.id = i.member_id AND m.merged_into IS NULL
                    WHERE f.state = 'subscribed' AND f.last_subscribed_at >= @since
                    """, p);
            case TriggerTypes.MemberBound:
                return new("""
                    SELECT i.member_id, i.created_at AS entered FROM member_identities i JOIN members m ON m.id = i.member_id AND m.merged_into IS NULL
                    WHERE i.kind = 'phone' AND i.created_at >= @since
                    """, p);
            case TriggerTypes.NoPurchase:
                p.Add("lapsedBefore", now.AddDays(-t.Days!.Value));
                return new("SELECT s.member_id, @now AS entered FROM member_stats s WHERE s.last_paid_at < @lapsedBefore", p);
            case TriggerTypes.PointsExpiring:
                // Lots earned before this instant expire within the days (PointsExpiryPolicy is monotonic in earned_at).
                if (PointsExpiryPolicy.From(loyalty.Value).EarnedBefore(now.AddDays(t.Days!.Value)) is not { } earnedBefore) return null;
                p.Add("earnedBefore", earnedBefore);
                return new("SELECT l.member_id, @now AS entered FROM points_lots l WHERE l.remaining > 0 AND l.earned_at < @earnedBefore", p);
            case TriggerTypes.CouponExpiring:
                p.Add("until", now.AddDays(t.Days!.Value));
                return new("""
                    SELECT c.member_id, @now AS entered FROM member_coupons c WHERE c.status = 'available' AND c.valid_to > @now AND c.valid_to <= @until
                    """, p);
            case TriggerTypes.TagAdded:
                p.Add("tagId", t.TagId!.Value);
                return new("SELECT t.member_id, t.created_at AS entered FROM member_tags t WHERE t.tag_id = @tagId AND t.created_at >= @since", p);
            default:
                return null;
        }
    }
}
