using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WeChatMall.WeChat.Api;

namespace WeChatMall.WeChat.Tests.Api;

public sealed class AccessTokenProviderTests
{
    StubWeChatServer _stub = null!;

    [SetUp]
    public async Task StartStub() => _stub = await StubWeChatServer.StartAsync();

    [TearDown]
    public async Task StopStub() => await _stub.DisposeAsync();

    [Test]
    public async Task GetToken_CalledTwice_PostsStableTokenOnce()
    {
        await using var sp = WeChatTestHost.Create(_stub);
        var provider = sp.GetRequiredKeyedService<AccessTokenProvider>(WeChatApp.OfficialAccount);

        Assert.That(await provider.GetTokenAsync(default), Is.EqualTo("TOKEN-1"));
        Assert.That(await provider.GetTokenAsync(default), Is.EqualTo("TOKEN-1"));

        var request = _stub.Requests.Single();
        Assert.That((request.Method, request.Path), Is.EqualTo(("POST", "/cgi-bin/stable_token")));
        using var body = JsonDocument.Parse(request.Body);
        Assert.That(body.RootElement.GetProperty("grant_type").GetString(), Is.EqualTo("client_credential"));
        Assert.That(body.RootElement.GetProperty("appid").GetString(), Is.EqualTo(WeChatTestHost.OaAppId));
        Assert.That(body.RootElement.GetProperty("secret").GetString(), Is.EqualTo("oa-secret"));
        Assert.That(body.RootElement.GetProperty("force_refresh").GetBoolean(), Is.False);
    }

    [Test]
    public async Task GetToken_MiniProgram_UsesItsOwnAppIdAndCacheEntry()
    {
        await using var sp = WeChatTestHost.Create(_stub);
        await sp.GetRequiredKeyedService<AccessTokenProvider>(WeChatApp.OfficialAccount).GetTokenAsync(default);
        var mp = await sp.GetRequiredKeyedService<AccessTokenProvider>(WeChatApp.MiniProgram).GetTokenAsync(default);

        Assert.That(mp, Is.EqualTo("TOKEN-2"));
        Assert.That(_stub.Requests.Last().Body, Does.Contain(WeChatTestHost.MpAppId).And.Contain("mp-secret"));
    }

    [Test]
    public async Task GetToken_UntilFiveMinutesLeft_ReusesThenRefreshes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        await using var sp = WeChatTestHost.Create(_stub, time);
        var provider = sp.GetRequiredKeyedService<AccessTokenProvider>(WeChatApp.OfficialAccount);

        Assert.That(await provider.GetTokenAsync(default), Is.EqualTo("TOKEN-1"));
        time.Advance(TimeSpan.FromSeconds(7200 - 301));
        Assert.That(await provider.GetTokenAsync(default), Is.EqualTo("TOKEN-1"));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.That(await provider.GetTokenAsync(default), Is.EqualTo("TOKEN-2"));
        Assert.That(_stub.TokenRequests, Is.EqualTo(2));
    }

    [Test]
    public async Task GetToken_TwoInstancesSharingStoreConcurrently_RequestsOneToken()
    {
        _stub.TokenDelay = TimeSpan.FromMilliseconds(300);
        var shared = new InMemoryAccessTokenStore(TimeProvider.System);
        await using var first = WeChatTestHost.Create(_stub, store: shared);
        await using var second = WeChatTestHost.Create(_stub, store: shared);
        var providers = new[] { first, second }.Select(sp => sp.GetRequiredKeyedService<AccessTokenProvider>(WeChatApp.OfficialAccount)).ToArray();

        var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => providers[i % 2].GetTokenAsync(default))));

        Assert.That(tokens, Is.All.EqualTo("TOKEN-1"));
        Assert.That(_stub.TokenRequests, Is.EqualTo(1));
    }

    [Test]
    public async Task GetToken_StableTokenError_ThrowsTypedException()
    {
        _stub.Respond = r => (200, """{"errcode":40164,"errmsg":"invalid ip 1.2.3.4, not in whitelist rid: x"}""");
        await using var sp = WeChatTestHost.Create(_stub);
        var provider = sp.GetRequiredKeyedService<AccessTokenProvider>(WeChatApp.OfficialAccount);

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => provider.GetTokenAsync(default));
        Assert.That((ex!.Errcode, ex.Kind, ex.Errmsg), Is.EqualTo((40164, WeChatErrorKind.IpNotWhitelisted, "invalid ip 1.2.3.4, not in whitelist rid: x")));
    }

    [Test]
    public async Task GetToken_RefreshFailsInsideMargin_ServesCachedUntilExpiry()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        await using var sp = WeChatTestHost.Create(_stub, time);
        var provider = sp.GetRequiredKeyedService<AccessTokenProvider>(WeChatApp.OfficialAccount);
        await provider.GetTokenAsync(default);
        _stub.Respond = r => (200, """{"errcode":45009,"errmsg":"reach max api daily quota limit"}""");

        time.Advance(TimeSpan.FromSeconds(7200 - 60));
        Assert.That(await provider.GetTokenAsync(default), Is.EqualTo("TOKEN-1"));
        time.Advance(TimeSpan.FromSeconds(60));
        var ex = Assert.ThrowsAsync<WeChatApiException>(() => provider.GetTokenAsync(default));
        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.QuotaExceeded));
    }
}
