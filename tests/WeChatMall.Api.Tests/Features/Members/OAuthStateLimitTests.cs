using System.Net;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Members;

public sealed class OAuthStateLimitTests
{
    [Test]
    public async Task Authorize_PastTheStatesPerClient_Is429AndStoresNoMoreStates()
    {
        var prefix = $"t:oauth:{Guid.NewGuid():N}:";
        await using var api = TestEnvironment.Api.StartSibling(new Dictionary<string, string?>
        {
            ["Redis:KeyPrefix"] = prefix,
            ["Members:OAuthStatesPerClient"] = "5",
        });

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 12; i++)
        {
            // A fresh browser each time: a made-up browser id must not escape the bound.
            using var browser = OAuthTestData.NewBrowser(api);
            last = await OAuthTestData.AuthorizeAsync(browser, "/shop/home");
            statuses.Add(last.StatusCode);
        }
        var states = await RedisScan.KeysAsync($"{prefix}member:oauth:*");

        Assert.Multiple(async () =>
        {
            Assert.That(statuses.Take(5), Is.All.EqualTo(HttpStatusCode.Redirect));
            Assert.That(statuses.Skip(5), Is.All.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(JsonDocument.Parse(await last.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString(),
                Is.EqualTo("OAUTH_PENDING_LIMIT"));
            Assert.That(last.Headers.RetryAfter, Is.Not.Null);
            Assert.That(states, Has.Count.EqualTo(5), string.Join(", ", states));
        });
    }
}
