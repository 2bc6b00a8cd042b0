using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;
using static WeChatMall.Api.Tests.Features.Members.OAuthTestData;

namespace WeChatMall.Api.Tests.Features.Members;

public sealed class MemberPrivacyTests
{
    [Test]
    public async Task OAuthAndPhoneBinding_NeverLogOpenIdsUnionIdsPhonesOrTokens()
    {
        var logs = new LogSink();
        await using var api = MembersEnvironment.Api.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        var oaOpenId = NewOaOpenId();
        var phone = "137" + Random.Shared.NextInt64(10_000_000, 99_999_999);
        using var browser = NewBrowser(api);

        var (callback, _) = await SignInAsync(browser, oaOpenId, scope: "userinfo");
        var token = Fragment(callback)["token"];
        using var member = api.CreateClient();
        member.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var minted = await MembersEnvironment.Sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/phone-codes", new { purePhoneNumber = phone });
        var bound = await member.PostAsJsonAsync("/api/me/phone", new { code = (await ReadAsync(minted)).GetProperty("code").GetString() });

        var messages = logs.Events.Select(e => e.Message).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(bound.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(logs.Count(7006), Is.EqualTo(1), "the member's creation is logged (by id)");
            Assert.That(logs.Count(7008), Is.EqualTo(1), "the phone binding is logged (by member id)");
            foreach (var secret in new[] { oaOpenId, "u" + oaOpenId, phone, token })
                Assert.That(messages.Where(m => m.Contains(secret, StringComparison.Ordinal)), Is.Empty);
        });
    }
}
