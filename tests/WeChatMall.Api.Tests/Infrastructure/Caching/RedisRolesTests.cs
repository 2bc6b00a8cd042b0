using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Infrastructure.Caching;

public sealed class RedisRolesTests
{
    // Another database of the shared test server plays the cache Redis; keys are under this test's own prefix.
    const int CacheDatabase = 5;

    [Test]
    public async Task WithRedisCacheSet_CatalogCacheKeysLandThere_AndSessionsStayOnTheMainRedis()
    {
        var prefix = $"t:roles:{Guid.NewGuid():N}:";
        await using var api = TestEnvironment.Api.StartSibling(new Dictionary<string, string?>
        {
            ["Redis:KeyPrefix"] = prefix,
            ["ConnectionStrings:RedisCache"] = $"{TestServers.Redis},defaultDatabase={CacheDatabase}",
        });
        using var client = api.CreateClient();

        (await client.GetAsync("/api/catalog/categories")).EnsureSuccessStatusCode();
        (await client.GetAsync("/api/catalog/products?page=1")).EnsureSuccessStatusCode();
        await api.Services.GetRequiredService<MemberSessions>().IssueAsync(memberId: 42, CancellationToken.None);
        var cacheOnCacheRedis = await Eventually.MatchAsync(() => RedisScan.KeysAsync($"{prefix}cache:*", CacheDatabase), k => k.Count >= 2);

        var cacheOnMain = await RedisScan.KeysAsync($"{prefix}cache:*");
        var sessionsOnMain = await RedisScan.KeysAsync($"{prefix}member:session*");
        var sessionsOnCache = await RedisScan.KeysAsync($"{prefix}member:session*", CacheDatabase);
        Assert.Multiple(() =>
        {
            Assert.That(cacheOnCacheRedis, Has.Count.EqualTo(2), "categories and the first page");
            Assert.That(cacheOnMain, Is.Empty);
            Assert.That(sessionsOnMain, Has.Count.EqualTo(2), "the session and the member's session index");
            Assert.That(sessionsOnCache, Is.Empty);
        });
    }
}
