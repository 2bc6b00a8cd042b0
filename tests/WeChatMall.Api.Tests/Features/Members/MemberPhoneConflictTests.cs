using System.Net;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.LoyaltyTestData;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;
using static WeChatMall.Api.Tests.Features.Members.PhoneTestData;

namespace WeChatMall.Api.Tests.Features.Members;

/// <summary>
/// A verified number held by a member who can sign in (has a WeChat identity) is never merged automatically: a phone
/// is recycled, shared or SIM-swapped, and merging would hand that member's account to whoever holds the number now.
/// Shipped settings (MembersEnvironment).
/// </summary>
public sealed class MemberPhoneConflictTests
{
    static ApiFactory Api => MembersEnvironment.Api;

    [Test]
    public async Task Bind_NumberOfOlderWeChatMember_Returns409PhoneInUse_CallerNeverGetsTheHoldersAccount()
    {
        using var holder = await LoginAsync();
        var number = NewNumber();
        Assert.That((await BindPhoneAsync(holder.Client, number)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var address = await AddAddressAsync(holder.Client, "王五");
        await AdjustAsync(holder.MemberId, 80);
        using var shopper = await LoginAsync();

        var response = await BindPhoneAsync(shopper.Client, number);

        var body = await ReadAsync(response);
        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), body.ToString());
            Assert.That(Code(body), Is.EqualTo("PHONE_IN_USE"));
            Assert.That(body.GetProperty("detail").GetString(), Does.Contain("客服").And.Contain("customer service"), "tells the shopper what to do");
            Assert.That(body.TryGetProperty("token", out _), Is.False, "no session for anybody");
            Assert.That(await SessionMemberAsync(shopper.Client), Is.EqualTo(shopper.MemberId), "the caller is still only itself");
            Assert.That(await AddressIdsAsync(shopper.Client), Does.Not.Contain(address));
            Assert.That(await SessionMemberAsync(holder.Client), Is.EqualTo(holder.MemberId), "the holder's session lives on");
            Assert.That(await AddressIdsAsync(holder.Client), Is.EqualTo(new[] { address }));
            Assert.That(await BalanceAsync(holder.MemberId), Is.EqualTo(80));
            Assert.That(await PhoneHolderAsync(number), Is.EqualTo(holder.MemberId));
            Assert.That(await MergedIntoAsync(holder.MemberId), Is.Null);
            Assert.That(await MergedIntoAsync(shopper.MemberId), Is.Null);
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_merges WHERE merged_id IN (@a, @b)",
                new { a = holder.MemberId, b = shopper.MemberId }), Is.Zero);
        });
    }

    [Test]
    public async Task Bind_NumberOfNewerWeChatMember_Returns409_CallerDoesNotAbsorbTheHolder()
    {
        using var shopper = await LoginAsync();
        using var holder = await LoginAsync();
        var number = NewNumber();
        Assert.That((await BindPhoneAsync(holder.Client, number)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var address = await AddAddressAsync(holder.Client, "赵六");
        await AdjustAsync(holder.MemberId, 45);

        var response = await BindPhoneAsync(shopper.Client, number);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(Code(await ReadAsync(response)), Is.EqualTo("PHONE_IN_USE"));
            Assert.That(await AddressIdsAsync(shopper.Client), Is.Empty);
            Assert.That(await BalanceAsync(shopper.MemberId), Is.Zero);
            Assert.That(await AddressIdsAsync(holder.Client), Is.EqualTo(new[] { address }));
            Assert.That(await BalanceAsync(holder.MemberId), Is.EqualTo(45));
            Assert.That(await MergedIntoAsync(holder.MemberId), Is.Null);
        });
    }

    [Test]
    public async Task OperatorMerge_AfterPhoneInUse_FindsHolderByPhone_MergesAndRecordsWhoDidIt()
    {
        using var holder = await LoginAsync();
        var number = NewNumber();
        Assert.That((await BindPhoneAsync(holder.Client, number)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AdjustAsync(holder.MemberId, 70);
        using var shopper = await LoginAsync();
        await AdjustAsync(shopper.MemberId, 5);
        Assert.That((await BindPhoneAsync(shopper.Client, number)).StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        using var admin = Api.CreateAdminClient();

        // Customer service checks the shopper's story, finds the holder by the number and merges the two.
        var found = (await ReadAsync(await admin.GetAsync($"/admin/members?q={number}"))).EnumerateArray()
            .Select(m => m.GetProperty("id").GetInt64()).ToArray();
        var merge = await admin.PostAsJsonAsync($"/admin/members/{holder.MemberId}/merge",
            new { mergedMemberId = shopper.MemberId, reason = "customer service: same person, verified by phone call" });

        Assert.That((int)merge.StatusCode, Is.EqualTo(200), await merge.Content.ReadAsStringAsync());
        var audit = await ReadAsync(merge);
        var again = await ReadAsync(await PostLoginAsync(await MintCodeAsync(shopper.OpenId)));
        Assert.Multiple(async () =>
        {
            Assert.That(found, Is.EqualTo(new[] { holder.MemberId }));
            Assert.That(audit.GetProperty("mergedBy").GetString(), Is.EqualTo("bootstrap key"));
            Assert.That(await Api.ScalarAsync<string>("SELECT merged_by FROM member_merges WHERE merged_id = @id", new { id = shopper.MemberId }),
                Is.EqualTo("bootstrap key"));
            Assert.That(await BalanceAsync(holder.MemberId), Is.EqualTo(75));
            Assert.That(await PhoneHolderAsync(number), Is.EqualTo(holder.MemberId));
            Assert.That((await shopper.Client.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the merged member's session ends");
            Assert.That(again.GetProperty("memberId").GetInt64(), Is.EqualTo(holder.MemberId),
                "after the operator's merge the shopper's own openid belongs to the survivor");
        });
    }

    [Test]
    public async Task Bind_NumberOfProspectThatAnOperatorMergedAWeChatMemberInto_Returns409()
    {
        var number = NewNumber();
        var prospectId = await CreateProspectAsync(number);
        using var customer = await LoginAsync();
        using var admin = Api.CreateAdminClient();
        var merge = await admin.PostAsJsonAsync($"/admin/members/{prospectId}/merge", new { mergedMemberId = customer.MemberId, reason = "same customer" });
        Assert.That((int)merge.StatusCode, Is.EqualTo(200), await merge.Content.ReadAsStringAsync());
        using var shopper = await LoginAsync();

        var response = await BindPhoneAsync(shopper.Client, number);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "the former prospect now holds a WeChat identity");
            Assert.That(await MergedIntoAsync(prospectId), Is.Null);
            Assert.That(await PhoneHolderAsync(number), Is.EqualTo(prospectId));
        });
    }
}
