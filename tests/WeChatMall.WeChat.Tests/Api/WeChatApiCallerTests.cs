using Microsoft.Extensions.DependencyInjection;
using WeChatMall.WeChat.Api;

namespace WeChatMall.WeChat.Tests.Api;

public sealed class WeChatApiCallerTests
{
    StubWeChatServer _stub = null!;

    [SetUp]
    public async Task StartStub() => _stub = await StubWeChatServer.StartAsync();

    [TearDown]
    public async Task StopStub() => await _stub.DisposeAsync();

    [TestCase(40001)]
    [TestCase(40014)]
    [TestCase(42001)]
    public async Task Call_TokenRejectedOnce_RefreshesAndRetriesOnce(int errcode)
    {
        _stub.Respond = r => r.Path != "/cgi-bin/stable_token" && r.Query["access_token"] == "TOKEN-1"
            ? (200, $$"""{"errcode":{{errcode}},"errmsg":"invalid credential"}""") : null;
        await using var sp = WeChatTestHost.Create(_stub);

        await sp.GetRequiredService<OfficialAccountClient>().SendCustomTextAsync("o1", "hi", default);

        Assert.That(_stub.ApiRequests.Select(r => r.Query["access_token"]), Is.EqualTo(new[] { "TOKEN-1", "TOKEN-2" }));
        Assert.That(_stub.TokenRequests, Is.EqualTo(2));
    }

    [Test]
    public async Task Call_TokenRejectedTwice_ThrowsWithoutLooping()
    {
        _stub.Respond = r => r.Path != "/cgi-bin/stable_token" ? (200, """{"errcode":40001,"errmsg":"invalid credential"}""") : null;
        await using var sp = WeChatTestHost.Create(_stub);

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => sp.GetRequiredService<OfficialAccountClient>().SendCustomTextAsync("o1", "hi", default));

        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.InvalidAccessToken));
        Assert.That(_stub.ApiRequests.Count(), Is.EqualTo(2));
        Assert.That(_stub.TokenRequests, Is.EqualTo(2));
    }

    [Test]
    public async Task Call_TokenRejectedAfterOtherInstanceRefreshed_KeepsNewerToken()
    {
        var store = new InMemoryAccessTokenStore(TimeProvider.System);
        _stub.Respond = r => r.Path != "/cgi-bin/stable_token" && r.Query["access_token"] == "STALE"
            ? (200, """{"errcode":42001,"errmsg":"access_token expired"}""") : null;
        await using var sp = WeChatTestHost.Create(_stub, store: store);
        var provider = sp.GetRequiredKeyedService<AccessTokenProvider>(WeChatApp.OfficialAccount);
        await store.SetAsync(WeChatTestHost.OaAppId, new CachedAccessToken("NEWER", DateTimeOffset.UtcNow.AddHours(1)), default);

        await provider.InvalidateAsync("STALE", default);

        Assert.That(await provider.GetTokenAsync(default), Is.EqualTo("NEWER"));
        Assert.That(_stub.TokenRequests, Is.Zero);
    }

    [TestCase(45015, WeChatErrorKind.OutOfInteractionWindow)]
    [TestCase(45009, WeChatErrorKind.QuotaExceeded)]
    [TestCase(40003, WeChatErrorKind.Other)]
    public async Task Call_ErrcodeReturned_ThrowsTypedException(int errcode, WeChatErrorKind kind)
    {
        _stub.Respond = r => r.Path != "/cgi-bin/stable_token" ? (200, $$"""{"errcode":{{errcode}},"errmsg":"boom rid: 1"}""") : null;
        await using var sp = WeChatTestHost.Create(_stub);

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => sp.GetRequiredService<OfficialAccountClient>().SendCustomTextAsync("o1", "hi", default));

        Assert.That((ex!.Errcode, ex.Errmsg, ex.Kind, ex.Path), Is.EqualTo((errcode, "boom rid: 1", kind, "cgi-bin/message/custom/send")));
        Assert.That(ex.Message, Does.Not.Contain("TOKEN-1"));
        Assert.That(_stub.ApiRequests.Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task Call_SystemBusyTwice_RetriesWithBackoffAndSucceeds()
    {
        var calls = 0;
        _stub.Respond = r => r.Path != "/cgi-bin/stable_token" && Interlocked.Increment(ref calls) <= 2
            ? (200, """{"errcode":-1,"errmsg":"system error"}""") : null;
        await using var sp = WeChatTestHost.Create(_stub);

        await sp.GetRequiredService<OfficialAccountClient>().SendCustomTextAsync("o1", "hi", default);

        Assert.That(_stub.ApiRequests.Count(), Is.EqualTo(3));
    }

    [Test]
    public async Task Call_SystemBusyForever_GivesUpAfterBoundedRetries()
    {
        _stub.Respond = r => r.Path != "/cgi-bin/stable_token" ? (200, """{"errcode":-1,"errmsg":"system error"}""") : null;
        await using var sp = WeChatTestHost.Create(_stub);

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => sp.GetRequiredService<OfficialAccountClient>().SendCustomTextAsync("o1", "hi", default));

        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.SystemBusy));
        Assert.That(_stub.ApiRequests.Count(), Is.EqualTo(4));
    }

    [Test]
    public async Task Get_ServerErrorOnce_RetriedByResilienceHandler()
    {
        var calls = 0;
        _stub.Respond = r => r.Path == "/cgi-bin/user/info" && Interlocked.Increment(ref calls) == 1 ? (503, "busy") : null;
        await using var sp = WeChatTestHost.Create(_stub);

        await sp.GetRequiredService<OfficialAccountClient>().GetUserInfoAsync("o1", default);

        Assert.That(_stub.ApiRequests.Count(), Is.EqualTo(2));
    }

    [Test]
    public async Task Post_ServerError_NotRetriedBecauseSendsAreNotIdempotent()
    {
        _stub.Respond = r => r.Path == "/cgi-bin/message/custom/send" ? (503, "busy") : null;
        await using var sp = WeChatTestHost.Create(_stub);

        Assert.ThrowsAsync<HttpRequestException>(() => sp.GetRequiredService<OfficialAccountClient>().SendCustomTextAsync("o1", "hi", default));
        Assert.That(_stub.ApiRequests.Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task Call_NonJsonBody_ThrowsInvalidResponse()
    {
        _stub.Respond = r => r.Path != "/cgi-bin/stable_token" ? (200, "<html>gateway</html>") : null;
        await using var sp = WeChatTestHost.Create(_stub);

        var ex = Assert.ThrowsAsync<WeChatApiException>(() => sp.GetRequiredService<OfficialAccountClient>().DeleteMenuAsync(default));
        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.InvalidResponse));
    }
}
