using Microsoft.Extensions.Time.Testing;
using WeChatMall.WeChat.Api;

namespace WeChatMall.WeChat.Tests.Api;

public sealed class InMemoryAccessTokenStoreTests
{
    readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));

    [Test]
    public async Task DeleteIfMatches_OtherValueStored_KeepsNewerToken()
    {
        var store = new InMemoryAccessTokenStore(_time);
        await store.SetAsync("app", new CachedAccessToken("NEW", _time.GetUtcNow().AddHours(2)), default);

        Assert.That(await store.DeleteIfMatchesAsync("app", "OLD", default), Is.False);
        Assert.That((await store.GetAsync("app", default))?.Value, Is.EqualTo("NEW"));
        Assert.That(await store.DeleteIfMatchesAsync("app", "NEW", default), Is.True);
        Assert.That(await store.GetAsync("app", default), Is.Null);
    }

    [Test]
    public async Task Get_AfterExpiry_ReturnsNull()
    {
        var store = new InMemoryAccessTokenStore(_time);
        await store.SetAsync("app", new CachedAccessToken("T", _time.GetUtcNow().AddSeconds(10)), default);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.That(await store.GetAsync("app", default), Is.Null);
    }

    [Test]
    public async Task RefreshLock_HeldByOther_BlocksUntilReleasedOrExpired()
    {
        var store = new InMemoryAccessTokenStore(_time);
        Assert.That(await store.TryAcquireRefreshLockAsync("app", "a", TimeSpan.FromSeconds(10), default), Is.True);
        Assert.That(await store.TryAcquireRefreshLockAsync("app", "b", TimeSpan.FromSeconds(10), default), Is.False);
        Assert.That(await store.TryAcquireRefreshLockAsync("other-app", "b", TimeSpan.FromSeconds(10), default), Is.True);

        await store.ReleaseRefreshLockAsync("app", "b", default);
        Assert.That(await store.TryAcquireRefreshLockAsync("app", "c", TimeSpan.FromSeconds(10), default), Is.False);

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.That(await store.TryAcquireRefreshLockAsync("app", "c", TimeSpan.FromSeconds(10), default), Is.True);
        await store.ReleaseRefreshLockAsync("app", "c", default);
        Assert.That(await store.TryAcquireRefreshLockAsync("app", "d", TimeSpan.FromSeconds(10), default), Is.True);
    }
}
