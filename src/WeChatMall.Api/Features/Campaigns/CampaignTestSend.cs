using MySqlConnector;
using WeChatMall.Api.Features.Campaigns.Credits;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Features.Campaigns;

/// <summary>A test send to one named member: the same channel choice, rendering and call as a batch, outside the recipient rows.</summary>
public sealed class CampaignTestSend(MySqlDataSource db, SubscribeCredits credits, CampaignMessages messages, TimeProvider time)
{
    /// <summary>The channel used and its message id, or why no channel may reach the member now, or WeChat's errcode.</summary>
    public async Task<(string? Channel, string? Reason, long? MsgId, int? Errcode)> SendAsync(CampaignRow campaign, RecipientContext r,
        CancellationToken ct)
    {
        var content = campaign.ContentModel;
        var (channel, reason) = CampaignSender.Choose(campaign.ChannelList, r, time.GetUtcNow().UtcDateTime);
        if (channel is null) return (null, reason, null, null);
        var key = $"test:{campaign.Id}:{r.MemberId}:{Guid.NewGuid():N}";
        if (channel == CampaignChannels.Subscribe)
        {
            await using var c = await db.OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            if (!await credits.SpendAsync(c, tx, r.MemberId, content.Subscribe!.TemplateId, key, ct)) return (null, SkipReasons.NoCredit, null, null);
            await tx.CommitAsync(ct);
        }
        try
        {
            return (channel, null, await messages.CallAsync(channel, key, content, r, await messages.PersonAsync(campaign, r, ct), ct), null);
        }
        catch (WeChatApiException e)
        {
            return (channel, null, null, e.Errcode);
        }
    }
}
