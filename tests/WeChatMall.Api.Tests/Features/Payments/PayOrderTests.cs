using System.Net;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Payments.PayTestData;

namespace WeChatMall.Api.Tests.Features.Payments;

public sealed class PayOrderTests
{
    static ApiFactory Api => PaymentsEnvironment.Api;

    [Test]
    public async Task Pay_Twice_ReusesThePrepay_AndSignsEachTime()
    {
        using var shopper = await LoginAsync();
        var order = await NewOrderAsync(shopper);

        var first = await ReadAsync(await PayAsync(shopper, order.OrderNo));
        var prepayAt = await Api.ScalarAsync<DateTime>("SELECT prepay_at FROM orders WHERE id = @Id", order);
        var second = await ReadAsync(await PayAsync(shopper, order.OrderNo));

        Assert.Multiple(async () =>
        {
            Assert.That(second.GetProperty("package").GetString(), Is.EqualTo(first.GetProperty("package").GetString()));
            Assert.That(second.GetProperty("nonceStr").GetString(), Is.Not.EqualTo(first.GetProperty("nonceStr").GetString()));
            Assert.That(await Api.ScalarAsync<DateTime>("SELECT prepay_at FROM orders WHERE id = @Id", order), Is.EqualTo(prepayAt),
                "the second tap reused the stored prepay_id instead of asking WeChat Pay again");
        });
    }

    [Test]
    public async Task Pay_AnotherMembersOrder_Returns404AndNoPrepay()
    {
        using var owner = await LoginAsync();
        using var other = await LoginAsync();
        var order = await NewOrderAsync(owner);

        var response = await PayAsync(other, order.OrderNo);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await ReadAsync(response)).GetProperty("code").GetString(), Is.EqualTo("ORDER_NOT_FOUND"));
            Assert.That(await Api.ScalarAsync<string?>("SELECT prepay_id FROM orders WHERE id = @Id", order), Is.Null);
        });
    }

    [Test]
    public async Task Pay_WithoutMiniProgramIdentity_Returns409WithCode()
    {
        using var shopper = await LoginAsync();
        var order = await NewOrderAsync(shopper);
        await Api.ScalarAsync<int>("DELETE FROM member_identities WHERE member_id = @MemberId", shopper);

        var response = await PayAsync(shopper, order.OrderNo);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await ReadAsync(response)).GetProperty("code").GetString(), Is.EqualTo("MINIPROGRAM_LOGIN_REQUIRED"));
        });
    }

    [Test]
    public async Task Pay_OrderNotPending_Returns409NotPayable()
    {
        using var shopper = await LoginAsync();
        var order = await NewOrderAsync(shopper);
        await ExpireAsync(order);

        var response = await PayAsync(shopper, order.OrderNo);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await ReadAsync(response)).GetProperty("code").GetString(), Is.EqualTo("ORDER_NOT_PAYABLE"));
        });
    }
}
