using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Infrastructure.Http;

/// <summary>
/// Per-client limits on anonymous routes, and the client address behind a proxy (issue #13). On Kestrel every test
/// request comes from 127.0.0.1, which plays the reverse proxy; X-Forwarded-For names the shopper behind it.
/// </summary>
public sealed class ClientRateLimitTests
{
    const int SearchLimit = 3;
    ApiFactory behindTrustedProxy = null!;
    ApiFactory behindUnknownProxy = null!;

    static Dictionary<string, string?> Limits() => new()
    {
        ["RateLimits:CatalogSearch:Limit"] = SearchLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimits:Login:Limit"] = "2",
        ["RateLimits:OAuthAuthorize:Limit"] = "2",
    };

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var trusted = Limits();
        trusted["Http:KnownProxies:0"] = "127.0.0.1";
        behindTrustedProxy = await ApiFactory.StartAsync(trusted, kestrel: true);
        var unknown = Limits();
        unknown["Http:KnownProxies:0"] = "10.1.2.3";
        unknown["Http:KnownNetworks:0"] = "192.168.0.0/16";
        behindUnknownProxy = await ApiFactory.StartAsync(unknown, kestrel: true);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await behindTrustedProxy.DisposeAsync();
        await behindUnknownProxy.DisposeAsync();
    }

    static HttpClient ClientAt(ApiFactory api, string forwardedFor)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }

    static Task<HttpResponseMessage> SearchAsync(HttpClient client) => client.GetAsync("/api/catalog/products?q=tea");

    [Test]
    public async Task Search_BehindTrustedProxy_TwoClientsAreLimitedSeparately_With429RetryAfterAndCode()
    {
        using var first = ClientAt(behindTrustedProxy, "203.0.113.10");
        using var second = ClientAt(behindTrustedProxy, "203.0.113.11");

        var allowed = new List<HttpStatusCode>();
        for (var i = 0; i < SearchLimit; i++) allowed.Add((await SearchAsync(first)).StatusCode);
        var over = await SearchAsync(first);
        var body = JsonDocument.Parse(await over.Content.ReadAsStringAsync()).RootElement;
        var secondClient = await SearchAsync(second);
        var browsing = await first.GetAsync("/api/catalog/products");

        Assert.Multiple(() =>
        {
            Assert.That(allowed, Is.EqualTo(Enumerable.Repeat(HttpStatusCode.OK, SearchLimit)));
            Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(body.GetProperty("code").GetString(), Is.EqualTo("RATE_LIMITED"));
            Assert.That(over.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(int.Parse(over.Headers.GetValues("Retry-After").Single()), Is.InRange(1, 60));
            Assert.That(secondClient.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another shopper behind the same proxy");
            Assert.That(browsing.StatusCode, Is.EqualTo(HttpStatusCode.OK), "only searches (q) are limited");
        });
    }

    [Test]
    public async Task Search_ChainOfTrustedProxies_CountsTheFirstUntrustedAddress()
    {
        // The shopper forged an entry in front of the real one; only the hop our proxy appended is believed.
        using var forging = ClientAt(behindTrustedProxy, "198.51.100.1, 203.0.113.20");
        using var sameShopper = ClientAt(behindTrustedProxy, "198.51.100.2, 203.0.113.20");

        for (var i = 0; i < SearchLimit; i++) await SearchAsync(forging);
        var over = await SearchAsync(sameShopper);

        Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    [Test]
    public async Task Search_XForwardedForFromAnUnknownProxy_IsIgnored_AllShareThePeerAddress()
    {
        using var first = ClientAt(behindUnknownProxy, "203.0.113.30");
        using var second = ClientAt(behindUnknownProxy, "203.0.113.31");

        for (var i = 0; i < SearchLimit; i++) await SearchAsync(first);
        var secondClient = await SearchAsync(second);

        Assert.That(secondClient.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests),
            "127.0.0.1 is not a configured proxy, so both requests count for 127.0.0.1");
    }

    [Test]
    public async Task Login_OverThePerClientLimit_Is429()
    {
        using var client = ClientAt(behindTrustedProxy, "203.0.113.40");
        using var other = ClientAt(behindTrustedProxy, "203.0.113.41");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) statuses.Add((await client.PostAsJsonAsync("/api/auth/login", new { code = "" })).StatusCode);
        var otherClient = await other.PostAsJsonAsync("/api/auth/login", new { code = "" });

        Assert.Multiple(() =>
        {
            Assert.That(statuses.Take(2), Has.None.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(statuses[2], Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(otherClient.StatusCode, Is.Not.EqualTo(HttpStatusCode.TooManyRequests).And.Not.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task OAuthAuthorize_OverThePerClientLimit_Is429()
    {
        using var client = ClientAt(behindTrustedProxy, "203.0.113.50");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) statuses.Add((await client.GetAsync("/api/oauth/authorize?scope=bad&returnUrl=/x")).StatusCode);

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests }));
    }

    [Test]
    public async Task Search_WithRedisDown_FailsOpen()
    {
        var settings = Limits();
        settings["RateLimits:CatalogSearch:Limit"] = "1";
        settings["ConnectionStrings:Redis"] = "127.0.0.1:1,abortConnect=false";
        await using var api = await ApiFactory.StartAsync(settings, kestrel: true);
        using var client = api.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) statuses.Add((await SearchAsync(client)).StatusCode);

        Assert.That(statuses, Has.Count.EqualTo(3).And.All.EqualTo(HttpStatusCode.OK));
    }
}
