using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Campaigns.CampaignPeople;

namespace WeChatMall.Api.Tests.Features.Campaigns;

/// <summary>Conversions: paid orders of recipients inside the attribution window after their send, and nothing else.</summary>
[NonParallelizable]
public sealed class CampaignResultsTests
{
    [Test]
    public async Task Results_CountOnlyOrdersPaidInsideTheAttributionWindow()
    {
        var before = await NewMemberAsync();
        var inside = await NewMemberAsync();
        var after = await NewMemberAsync();
        var outsider = await NewMemberAsync(); // buys inside the window but was not a recipient
        var sku = await NewSkuAsync(3_300);
        await BuyAsync(before, sku);

        await using (var worker = CampaignsEnvironment.StartWorker())
        {
            var id = await StartCampaignAsync(await SegmentOfAsync(before, inside, after), ["template"], attributionDays: 7);
            await WaitForStatusAsync(id, "completed");
            await BuyAsync(inside, sku);
            await BuyAsync(outsider, sku);
            await CampaignsEnvironment.Clock.JumpAsync(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
            await BuyAsync(after, sku);
            var results = await ResultsAsync(id);

            Assert.Multiple(() =>
            {
                Assert.That(results.GetProperty("sent").GetInt64(), Is.EqualTo(3));
                Assert.That(results.GetProperty("orders").GetInt64(), Is.EqualTo(1), "only the order paid inside the window counts");
                Assert.That(results.GetProperty("convertedMembers").GetInt64(), Is.EqualTo(1));
                Assert.That(results.GetProperty("revenueFen").GetInt64(), Is.EqualTo(3_300));
                Assert.That(results.GetProperty("attributionDays").GetInt32(), Is.EqualTo(7));
            });
        }
    }

    [Test]
    public async Task Results_CountRecipientsWhoUnfollowedAfterTheirSend()
    {
        var (stays, leaves, leftBefore) = (await NewMemberAsync(), await NewMemberAsync(), await NewMemberAsync());
        await UnfollowAsync(leftBefore); // skipped (unfollowed), never sent: not an unfollow after the send
        await using var worker = CampaignsEnvironment.StartWorker();
        var id = await StartCampaignAsync(await SegmentOfAsync(stays, leaves, leftBefore), ["template"]);
        await WaitForStatusAsync(id, "completed");
        var before = (await ResultsAsync(id)).GetProperty("unfollowedAfterSend").GetInt64();
        await CampaignsEnvironment.Clock.JumpAsync(TimeSpan.FromMinutes(5));
        await UnfollowAsync(leaves);
        var results = await ResultsAsync(id);

        Assert.Multiple(() =>
        {
            Assert.That(results.GetProperty("sent").GetInt64(), Is.EqualTo(2));
            Assert.That(before, Is.Zero);
            Assert.That(results.GetProperty("unfollowedAfterSend").GetInt64(), Is.EqualTo(1));
        });
    }
}
