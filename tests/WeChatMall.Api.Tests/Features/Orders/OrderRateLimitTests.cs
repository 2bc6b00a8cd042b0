using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Infrastructure.RateLimiting;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Orders.OrderTestData;

namespace WeChatMall.Api.Tests.Features.Orders;

/// <summary>Per-member request limits on placing and paying orders, counted in Redis, under the shipped defaults.</summary>
public sealed class OrderRateLimitTests
{
    static ApiFactory Api => OrdersEnvironment.Api;
    static RateLimitOptions Limits => Api.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value;

    [Test]
    public async Task Place_OneMoreThanTheLimitPerWindow_Is429RateLimitedWithRetryAfter_AnotherMemberIsNot()
    {
        using var s = await LoginAsync();
        using var other = await LoginAsync();
        var invalid = new { lines = Array.Empty<object>(), addressId = 0 }; // every attempt counts, even a 400

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Limits.PlaceOrder.Limit; i++) statuses.Add((await PlaceAsync(s, invalid)).StatusCode);
        var over = await PlaceAsync(s, invalid);
        var body = await ReadAsync(over);
        var otherMember = await PlaceAsync(other, invalid);

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Has.Count.EqualTo(Limits.PlaceOrder.Limit).And.All.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(body.GetProperty("code").GetString(), Is.EqualTo("RATE_LIMITED"));
            Assert.That(int.Parse(over.Headers.GetValues("Retry-After").Single()), Is.InRange(1, Limits.PlaceOrder.WindowSeconds));
            Assert.That(otherMember.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task Pay_OneMoreThanTheLimitPerWindow_Is429RateLimited()
    {
        using var s = await LoginAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Limits.Pay.Limit; i++) statuses.Add((await s.Client.PostAsync("/api/orders/NO_SUCH_ORDER/pay", null)).StatusCode);
        var over = await s.Client.PostAsync("/api/orders/NO_SUCH_ORDER/pay", null);

        Assert.Multiple(async () =>
        {
            Assert.That(statuses, Has.None.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That((await ReadAsync(over)).GetProperty("code").GetString(), Is.EqualTo("RATE_LIMITED"));
            Assert.That(over.Headers.Contains("Retry-After"), Is.True);
        });
    }

    [Test]
    public void ShippedLimits_AreOnAndPerMemberForOrdersAndPay()
    {
        var shipped = new RateLimitOptions();
        Assert.Multiple(() =>
        {
            Assert.That(shipped.Enabled, Is.True);
            Assert.That(RateLimitPolicy.PlaceOrder.Subject, Is.EqualTo(RateLimitSubject.Member));
            Assert.That(RateLimitPolicy.Pay.Subject, Is.EqualTo(RateLimitSubject.Member));
            Assert.That(Limits.PlaceOrder.Limit, Is.EqualTo(shipped.PlaceOrder.Limit), "the orders environment runs the shipped limit");
        });
    }
}
