using System.Net;
using WeChatMall.Api.Tests.TestHost;
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
    public async Task SearchByFollowerNickname_DetailShowsFollowChannelAndOrderTotals()
    {
        using var member = await LoginAsync();
        var oaOpenId = "o_oa_" + Guid.NewGuid().ToString("N")[..20];
        var nickname = "茶友" + Guid.NewGuid().ToString("N")[..6];
        var api = MembersEnvironment.Api;
        // A follower who came through the "parcel-card" QR code and is bound to the member (what OAuth binding leaves).
        await api.ScalarAsync<long>("""
            INSERT INTO followers (openid, state, source_channel, last_channel, nickname, first_subscribed_at, last_subscribed_at, created_at, updated_at)
            VALUES (@oaOpenId, 'subscribed', 'parcel-card', 'store-1', @nickname, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3));
            INSERT INTO member_identities (member_id, kind, value, created_at) VALUES (@MemberId, 'oa_openid', @oaOpenId, UTC_TIMESTAMP(3));
            SELECT 1;
            """, new { oaOpenId, nickname, member.MemberId });
        await api.ScalarAsync<long>("""
            INSERT INTO orders (order_no, member_id, status, goods_fen, payable_fen, refunded_fen, expires_at, paid_at, created_at, updated_at)
            VALUES (CONCAT('A', @MemberId, 'x1'), @MemberId, 'refunded', 5000, 5000, 2000, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
                   (CONCAT('A', @MemberId, 'x2'), @MemberId, 'pending_payment', 3000, 3000, 0, UTC_TIMESTAMP(3), NULL, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3));
            SELECT 1;
            """, member);
        using var admin = api.CreateAdminClient();

        var found = await ReadAsync(await admin.GetAsync($"/admin/members?q={Uri.EscapeDataString(nickname)}"));
        var detail = await ReadAsync(await admin.GetAsync($"/admin/members/{member.MemberId}"));

        var follow = detail.GetProperty("follows")[0];
        var orders = detail.GetProperty("orders");
        Assert.Multiple(() =>
        {
            Assert.That(found.EnumerateArray().Select(m => m.GetProperty("id").GetInt64()), Is.EqualTo(new[] { member.MemberId }));
            Assert.That(follow.GetProperty("openId").GetString(), Is.EqualTo(oaOpenId));
            Assert.That(follow.GetProperty("sourceChannel").GetString(), Is.EqualTo("parcel-card"));
            Assert.That(follow.GetProperty("nickname").GetString(), Is.EqualTo(nickname));
            Assert.That(orders.GetProperty("orders").GetInt32(), Is.EqualTo(2));
            Assert.That(orders.GetProperty("paidOrders").GetInt32(), Is.EqualTo(1));
            Assert.That(orders.GetProperty("paidFen").GetInt64(), Is.EqualTo(5000));
            Assert.That(orders.GetProperty("netPaidFen").GetInt64(), Is.EqualTo(3000));
            Assert.That(orders.GetProperty("latest").EnumerateArray().Select(o => o.GetProperty("orderNo").GetString()),
                Is.EqualTo(new[] { $"A{member.MemberId}x2", $"A{member.MemberId}x1" }));
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
