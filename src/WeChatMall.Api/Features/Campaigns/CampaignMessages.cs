using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.WeChat.Api;
using WeChatMall.WeChat.MiniProgram;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>
/// One campaign message to one member through the channel already chosen: the member's personal values rendered into
/// the content, then the WeChat call. Used by a batch (<see cref="CampaignSender"/>) and a test send
/// (<see cref="CampaignTestSend"/>) alike, so a test shows exactly what the members will get.
/// </summary>
public sealed class CampaignMessages(MySqlDataSource db, OfficialAccountClient oa, MiniProgramClient mp, IOptions<CampaignOptions> options)
{
    /// <summary>Sends it; the template channel's message id, null for the others. WeChat's refusals are thrown.</summary>
    public async Task<long?> CallAsync(string channel, string clientMsgId, CampaignContent content, RecipientContext r,
        CampaignContent.Person person, CancellationToken ct)
    {
        switch (channel)
        {
            case CampaignChannels.Template:
                var t = content.Template!;
                // client_msg_id: WeChat sends one message per openid + id (for 10 minutes), so a resend after a crash is not a second message.
                return await oa.SendTemplateAsync(new TemplateMessage(r.OaOpenId!, t.TemplateId, CampaignContent.Render(t.Data, person), t.Url,
                    ClientMsgId: clientMsgId), ct);
            case CampaignChannels.Subscribe:
                var s = content.Subscribe!;
                await mp.SendSubscribeMessageAsync(new SubscribeMessage(r.MpOpenId!, s.TemplateId, CampaignContent.Render(s.Data, person), s.Page), ct);
                return null;
            default:
                await SendCustomAsync(r.OaOpenId!, content, person, ct);
                return null;
        }
    }

    /// <summary>The member's values the content may name; a test send names the coupon too, but grants none.</summary>
    public async Task<CampaignContent.Person> PersonAsync(CampaignRow campaign, RecipientContext r, CancellationToken ct) =>
        PersonOf(r, await CampaignCoupons.LabelAsync(db, campaign.CouponTemplateId, ct));

    public CampaignContent.Person PersonOf(RecipientContext r, string? couponLabel) =>
        new(string.IsNullOrWhiteSpace(r.Nickname) ? options.Value.NicknameFallback : r.Nickname, r.Points, r.Tier, couponLabel);

    // The customer-service kind the campaign carries (CustomContent allows one).
    Task SendCustomAsync(string openId, CampaignContent content, CampaignContent.Person p, CancellationToken ct) => content switch
    {
        { Image: { } image } => oa.SendCustomImageAsync(openId, image.MediaId, ct),
        { News: { } n } => oa.SendCustomNewsAsync(openId, new CustomNewsArticle(CampaignContent.Render(n.Title, p),
            CampaignContent.Render(n.Description ?? "", p), n.Url, n.PicUrl ?? ""), ct),
        { MiniProgram: { } m } => oa.SendCustomMiniProgramPageAsync(openId,
            new MiniProgramPageCard(CampaignContent.Render(m.Title, p), m.AppId, m.PagePath, m.ThumbMediaId), ct),
        _ => oa.SendCustomTextAsync(openId, CampaignContent.Render(content.Text!, p), ct),
    };
}
