using System.Net;
using System.Net.Http.Headers;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.LoyaltyTestData;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;
using static WeChatMall.Api.Tests.Features.Members.PhoneTestData;

namespace WeChatMall.Api.Tests.Features.Members;

/// <summary>Members:MergeOnVerifiedPhone=false (not shipped): not even a prospect is absorbed; its own host.</summary>
public sealed class MemberPhoneWithoutAutoMergeTests
{
    static ApiFactory withoutAutoMerge = null!;

    [OneTimeSetUp]
    public void Start() => withoutAutoMerge = MembersEnvironment.Api.StartSibling(
        new Dictionary<string, string?> { ["Members:MergeOnVerifiedPhone"] = "false" });

    [OneTimeTearDown]
    public async Task StopAsync() => await withoutAutoMerge.DisposeAsync();

    [Test]
    public async Task Bind_ProspectsNumber_WithAutoMergeOff_Returns409AndLeavesProspect()
    {
        var number = NewNumber();
        var prospectId = await CreateProspectAsync(number);
        await AdjustAsync(prospectId, 60);
        using var shopper = await LoginAsync();
        using var client = withoutAutoMerge.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", shopper.Token);

        var response = await BindPhoneAsync(client, number);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(Code(await ReadAsync(response)), Is.EqualTo("PHONE_IN_USE"));
            Assert.That(await MergedIntoAsync(prospectId), Is.Null);
            Assert.That(await BalanceAsync(prospectId), Is.EqualTo(60));
            Assert.That(await PhoneHolderAsync(number), Is.EqualTo(prospectId));
        });
    }
}
