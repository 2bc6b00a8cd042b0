using System.Data.Common;
using System.Globalization;
using MySqlConnector;
using WeChatMall.Api.Features.Offers;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>
/// A campaign's coupon: granted through Offers' CouponIssuer in the transaction that marks the recipient 'sending', and
/// remembered on the recipient row there, so a retried, recovered or re-claimed recipient is never granted a second one.
/// </summary>
public static class CampaignCoupons
{
    /// <summary>What {coupon} renders: the coupon's name and value, e.g. "新人券（20元）" or "会员日券（8.5折）".</summary>
    public static string Label(CouponTemplateRow t) => t.Kind == "percent_off"
        ? string.Create(CultureInfo.InvariantCulture, $"{t.Title}（{(100 - t.PercentOff) / 10m:0.#}折）")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Title}（{t.AmountOffFen / 100m:0.##}元）");

    public static async Task<string?> LabelAsync(MySqlDataSource db, long? templateId, CancellationToken ct)
    {
        if (templateId is not { } id) return null;
        await using var c = await db.OpenConnectionAsync(ct);
        return await CouponTemplateStore.FindAsync(c, null, id, ct) is { } t ? Label(t) : null;
    }

    /// <summary>
    /// The recipient's coupon, granted now unless it already was; returns null when the recipient has one, or the code of
    /// Offers' refusal (COUPON_SOLD_OUT, COUPON_LIMIT_REACHED, …), in which case nothing was granted.
    /// </summary>
    public static async Task<string?> GrantOnceAsync(DbConnection c, DbTransaction tx, long campaignId, long memberId, long templateId, DateTime now,
        CancellationToken ct)
    {
        if (await RecipientStore.CouponOfAsync(c, tx, campaignId, memberId, ct) is not null) return null;
        switch (await CouponIssuer.IssueAsync(c, tx, templateId, memberId, "campaign", $"campaign:{campaignId}", now, ct))
        {
            case IssueResult.Issued issued:
                await RecipientStore.SetCouponAsync(c, tx, campaignId, memberId, issued.MemberCouponId, ct);
                return null;
            case IssueResult.Refused refused:
                return refused.Code;
            default:
                throw new InvalidOperationException("unknown issue result");
        }
    }
}
