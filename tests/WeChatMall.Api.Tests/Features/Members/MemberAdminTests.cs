using System.Net;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;

namespace WeChatMall.Api.Tests.Features.Members;

public sealed class MemberAdminTests
{
    [Test]
    public async Task Search_ByOpenIdUnionIdOrId_FindsTheMember()
    {
        var unionId = "u_" + Guid.NewGuid().ToString("N");
        using var member = await LoginAsync(unionId: unionId);
        using var admin = MembersEnvironment.Api.CreateAdminClient();

        async Task<long[]> Find(string q) => (await ReadAsync(await admin.GetAsync($"/admin/members?q={Uri.EscapeDataString(q)}")))
            .EnumerateArray().Select(m => m.GetProperty("id").GetInt64()).ToArray();

        Assert.Multiple(async () =>
        {
            Assert.That(await Find(member.OpenId), Is.EqualTo(new[] { member.MemberId }));
            Assert.That(await Find(unionId), Is.EqualTo(new[] { member.MemberId }));
            Assert.That(await Find(member.MemberId.ToString()), Is.EqualTo(new[] { member.MemberId }));
            Assert.That(await Find(member.OpenId[..^1]), Is.Empty, "exact matches only");
            Assert.That((await admin.GetAsync("/admin/members?q=")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task Get_Member_ShowsIdentitiesBalanceAndRecentEntries()
    {
        using var member = await LoginAsync();
        await AdjustAsync(member.MemberId, 70, "gift");
        await AdjustAsync(member.MemberId, -20, "correction");
        using var admin = MembersEnvironment.Api.CreateAdminClient();

        var detail = await ReadAsync(await admin.GetAsync($"/admin/members/{member.MemberId}"));

        Assert.Multiple(() =>
        {
            Assert.That(detail.GetProperty("member").GetProperty("pointsBalance").GetInt64(), Is.EqualTo(50));
            Assert.That(detail.GetProperty("identities").EnumerateArray()
                .Select(i => (i.GetProperty("kind").GetString(), i.GetProperty("value").GetString())), Does.Contain(("mp_openid", member.OpenId)));
            Assert.That(detail.GetProperty("recentPoints").EnumerateArray().Select(e => e.GetProperty("reason").GetString()),
                Is.EqualTo(new[] { "correction", "gift" }));
        });
    }

    [Test]
    public async Task AdminRoutes_UnknownMemberOrNoAdminKey_Return404Or401()
    {
        using var member = await LoginAsync();
        using var admin = MembersEnvironment.Api.CreateAdminClient();

        Assert.Multiple(async () =>
        {
            Assert.That((await admin.GetAsync($"/admin/members/{long.MaxValue}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await AdjustAsync(long.MaxValue, 5)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await member.Client.GetAsync($"/admin/members/{member.MemberId}")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized),
                "a member token is not an admin key");
        });
    }
}
