using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Redis;
using WeChatMall.Api.Infrastructure.WeChat;
using WeChatMall.Api.Tests.TestHost;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Tests.Infrastructure.WeChat;

public sealed class RedisAccessTokenStoreTests
{
    private WebApplication stub = null!;
    private int tokenRequests;
    private string stubUrl = "";

    [OneTimeSetUp]
    public async Task StartTokenStubAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        stub = builder.Build();
        stub.MapPost("/cgi-bin/stable_token", async () =>
        {
            var n = Interlocked.Increment(ref tokenRequests);
            await Task.Delay(200); // slow enough that both instances ask while the first refresh is in flight
            return Results.Json(new { access_token = $"stub-token-{n}", expires_in = 7200 });
        });
        await stub.StartAsync();
        stubUrl = stub.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    [OneTimeTearDown]
    public async Task StopStubAsync() => await stub.DisposeAsync();

    [Test]
    public async Task TwoInstances_SharingRedis_RequestTheTokenOnce_AndUseTheSameOne()
    {
        var settings = new Dictionary<string, string?> { ["WeChat:ApiBaseUrl"] = stubUrl };
        await using var first = TestEnvironment.Api.StartSibling(settings);
        await using var second = first.StartSibling();
        var providers = new[] { first, second }.Select(f => f.Services.GetRequiredKeyedService<AccessTokenProvider>(WeChatApp.OfficialAccount)).ToList();
        await providers[0].InvalidateAsync((await new RedisAccessTokenStore(first.Services.GetRequiredService<IDatabase>(), TimeProvider.System)
            .GetAsync(providers[0].AppId, CancellationToken.None))?.Value ?? "none", CancellationToken.None);
        var before = tokenRequests;

        var tokens = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => providers[i % 2].GetTokenAsync(CancellationToken.None)));

        Assert.Multiple(() =>
        {
            Assert.That(first.Services.GetRequiredService<IAccessTokenStore>(), Is.InstanceOf<RedisAccessTokenStore>());
            Assert.That(tokenRequests - before, Is.EqualTo(1));
            Assert.That(tokens.Distinct().Count(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task DeleteIfMatches_OnlyDeletesTheFailingToken()
    {
        var store = new RedisAccessTokenStore(TestEnvironment.Api.Services.GetRequiredService<IDatabase>(), TimeProvider.System);
        var appId = "wx" + Guid.NewGuid().ToString("N")[..16];
        await store.SetAsync(appId, new CachedAccessToken("newer", DateTimeOffset.UtcNow.AddMinutes(10)), CancellationToken.None);

        var deletedOther = await store.DeleteIfMatchesAsync(appId, "older", CancellationToken.None);
        var survivor = await store.GetAsync(appId, CancellationToken.None);
        var deletedSame = await store.DeleteIfMatchesAsync(appId, "newer", CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(deletedOther, Is.False);
            Assert.That(survivor?.Value, Is.EqualTo("newer"));
            Assert.That(deletedSame, Is.True);
            Assert.That(await store.GetAsync(appId, CancellationToken.None), Is.Null);
        });
    }

    [Test]
    public async Task RefreshLock_IsExclusive_AndOnlyItsOwnerReleasesIt()
    {
        var store = new RedisAccessTokenStore(TestEnvironment.Api.Services.GetRequiredService<IDatabase>(), TimeProvider.System);
        var appId = "wx" + Guid.NewGuid().ToString("N")[..16];

        var a = await store.TryAcquireRefreshLockAsync(appId, "a", TimeSpan.FromSeconds(10), CancellationToken.None);
        var b = await store.TryAcquireRefreshLockAsync(appId, "b", TimeSpan.FromSeconds(10), CancellationToken.None);
        await store.ReleaseRefreshLockAsync(appId, "b", CancellationToken.None);
        var bAfterWrongRelease = await store.TryAcquireRefreshLockAsync(appId, "b", TimeSpan.FromSeconds(10), CancellationToken.None);
        await store.ReleaseRefreshLockAsync(appId, "a", CancellationToken.None);
        var bAfterRelease = await store.TryAcquireRefreshLockAsync(appId, "b", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(a, Is.True);
            Assert.That(b, Is.False);
            Assert.That(bAfterWrongRelease, Is.False);
            Assert.That(bAfterRelease, Is.True);
        });
    }

    [Test]
    public async Task Set_TakesTheTokensLifetimeFromTheTimeProvider()
    {
        var redis = TestEnvironment.Api.Services.GetRequiredService<IDatabase>();
        var now = DateTimeOffset.UtcNow;
        var appId = "wx" + Guid.NewGuid().ToString("N")[..16];
        var expiredAppId = "wx" + Guid.NewGuid().ToString("N")[..16];
        var anHourAgo = new RedisAccessTokenStore(redis, new FakeTimeProvider(now.AddHours(-1)));
        var tomorrow = new RedisAccessTokenStore(redis, new FakeTimeProvider(now.AddDays(1)));

        await anHourAgo.SetAsync(appId, new CachedAccessToken("t1", now.AddMinutes(30)), CancellationToken.None);
        await tomorrow.SetAsync(expiredAppId, new CachedAccessToken("t2", now.AddMinutes(30)), CancellationToken.None);

        var ttl = await redis.KeyTimeToLiveAsync(RedisKeys.AccessToken(appId));
        Assert.That(ttl, Is.GreaterThan(TimeSpan.FromMinutes(80)), "90 minutes away by the store's clock");
        Assert.That(await tomorrow.GetAsync(expiredAppId, CancellationToken.None), Is.Null, "already expired by the store's clock: not stored");
    }
}
