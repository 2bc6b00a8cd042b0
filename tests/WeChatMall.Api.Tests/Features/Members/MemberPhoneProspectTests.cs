using System.Net;
using System.Net.Http.Json;
using Dapper;
using MySqlConnector;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.LoyaltyTestData;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;
using static WeChatMall.Api.Tests.Features.Members.PhoneTestData;

namespace WeChatMall.Api.Tests.Features.Members;

/// <summary>
/// A verified number held by a prospect (no WeChat identity, e.g. a marketplace customer) is merged automatically:
/// the caller survives and takes over the prospect's history. Shipped settings (Members:MergeOnVerifiedPhone true).
/// </summary>
public sealed class MemberPhoneProspectTests
{
    static ApiFactory Api => MembersEnvironment.Api;

    // History the merchant brought with the customer (there is no order import yet, so the rows are written here).
    static async Task<(string OrderNo, long AddressId)> ImportHistoryAsync(long prospectId)
    {
        var orderNo = "IMP" + Guid.NewGuid().ToString("N")[..20];
        await using var c = new MySqlConnection(TestServers.MySqlFor(Api.Database));
        var now = DateTime.UtcNow;
        await c.ExecuteAsync("""
            INSERT INTO orders (order_no, member_id, status, goods_fen, payable_fen, expires_at, paid_at, created_at, updated_at)
            VALUES (@orderNo, @prospectId, 'completed', 12800, 12800, @now, @now, @now, @now)
            """, new { orderNo, prospectId, now });
        var addressId = await c.ExecuteScalarAsync<long>("""
            INSERT INTO member_addresses (member_id, recipient, phone, province, city, district, detail, is_default, created_at, updated_at)
            VALUES (@prospectId, '钱七', '13700000000', '浙江省', '杭州市', '西湖区', '文三路 1 号', TRUE, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { prospectId, now });
        return (orderNo, addressId);
    }

    [Test]
    public async Task Bind_NumberOfOlderProspect_CallerSurvivesWithProspectsPointsOrdersAndAddresses()
    {
        var number = NewNumber();
        var prospectId = await CreateProspectAsync(number);
        await AdjustAsync(prospectId, 300, "points from the marketplace shop");
        var (orderNo, addressId) = await ImportHistoryAsync(prospectId);
        using var shopper = await LoginAsync();
        await AdjustAsync(shopper.MemberId, 20);
        Assert.That(shopper.MemberId, Is.GreaterThan(prospectId), "the prospect is the older member");

        var response = await BindPhoneAsync(shopper.Client, number);

        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        var body = await ReadAsync(response);
        Assert.Multiple(async () =>
        {
            Assert.That(body.GetProperty("absorbedMemberId").GetInt64(), Is.EqualTo(prospectId));
            Assert.That(body.TryGetProperty("token", out _), Is.False, "the caller keeps its own session");
            Assert.That(await SessionMemberAsync(shopper.Client), Is.EqualTo(shopper.MemberId));
            Assert.That(await BalanceAsync(shopper.MemberId), Is.EqualTo(320));
            Assert.That(await LedgerSumAsync(shopper.MemberId), Is.EqualTo(320));
            Assert.That((await shopper.Client.GetAsync($"/api/orders/{orderNo}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await AddressIdsAsync(shopper.Client), Does.Contain(addressId));
            Assert.That(await PhoneHolderAsync(number), Is.EqualTo(shopper.MemberId));
            Assert.That(await MergedIntoAsync(prospectId), Is.EqualTo(shopper.MemberId));
            Assert.That(await MergedIntoAsync(shopper.MemberId), Is.Null);
            Assert.That(await Api.ScalarAsync<string>("SELECT merged_by FROM member_merges WHERE merged_id = @id", new { id = prospectId }),
                Is.EqualTo("auto:phone"));
        });
    }

    [Test]
    public async Task Bind_ProspectsNumber_CallerWithAnotherNumber_KeepsOnlyTheVerifiedOne()
    {
        using var shopper = await LoginAsync();
        var oldNumber = NewNumber();
        Assert.That((await BindPhoneAsync(shopper.Client, oldNumber)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var number = NewNumber();
        var prospectId = await CreateProspectAsync(number);

        var response = await BindPhoneAsync(shopper.Client, number);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await MergedIntoAsync(prospectId), Is.EqualTo(shopper.MemberId));
            Assert.That(await Api.QueryAsync<string>("SELECT value FROM member_identities WHERE member_id = @id AND kind = 'phone'",
                new { id = shopper.MemberId }), Is.EqualTo(new[] { "+86" + number }));
        });
    }

    [Test]
    public async Task Bind_ProspectsNumberByThreeShoppersAtOnce_OneAbsorbsIt_OthersGet409()
    {
        var number = NewNumber();
        var prospectId = await CreateProspectAsync(number);
        await AdjustAsync(prospectId, 90);
        var shoppers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => LoginAsync()));
        var codes = await Task.WhenAll(shoppers.Select(_ => MintPhoneCodeAsync(number)));

        var responses = await Task.WhenAll(shoppers.Select((s, i) => s.Client.PostAsJsonAsync("/api/me/phone", new { code = codes[i] })));

        var winners = shoppers.Where((_, i) => responses[i].StatusCode == HttpStatusCode.OK).ToArray();
        Assert.That(winners, Has.Length.EqualTo(1), string.Join(", ", responses.Select(r => (int)r.StatusCode)));
        var winner = winners[0];
        Assert.Multiple(async () =>
        {
            foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            {
                Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
                Assert.That(Code(await ReadAsync(r)), Is.EqualTo("PHONE_IN_USE"));
            }
            Assert.That(await MergedIntoAsync(prospectId), Is.EqualTo(winner.MemberId));
            Assert.That(await PhoneHolderAsync(number), Is.EqualTo(winner.MemberId));
            Assert.That(await BalanceAsync(winner.MemberId), Is.EqualTo(90));
            foreach (var s in shoppers) Assert.That(await SessionMemberAsync(s.Client), Is.EqualTo(s.MemberId));
        });
        foreach (var s in shoppers) s.Dispose();
    }

    [Test]
    public async Task CreateProspect_NumberAlreadyHeldOrMalformed_Returns409Or400()
    {
        using var member = await LoginAsync();
        var number = NewNumber();
        Assert.That((await BindPhoneAsync(member.Client, number)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var admin = Api.CreateAdminClient();

        var held = await admin.PostAsJsonAsync("/admin/members", new { phone = number });
        var malformed = await admin.PostAsJsonAsync("/admin/members", new { phone = "12-34" });

        Assert.Multiple(async () =>
        {
            Assert.That(held.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            var body = await ReadAsync(held);
            Assert.That(Code(body), Is.EqualTo("PHONE_IN_USE"));
            Assert.That(body.GetProperty("memberId").GetInt64(), Is.EqualTo(member.MemberId));
            Assert.That(malformed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }
}
