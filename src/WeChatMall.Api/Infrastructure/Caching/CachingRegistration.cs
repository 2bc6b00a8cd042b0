using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Infrastructure.Caching;

public static class CachingRegistration
{
    /// <summary>
    /// HybridCache: in-process L1 with per-key stampede protection, Redis L2 on the shared multiplexer under
    /// the configured key prefix. Safe to call from several features.
    /// </summary>
    public static IServiceCollection AddHybridCaching(this IServiceCollection services)
    {
        services.TryAddSingleton<IDistributedCache>(sp =>
        {
            var redis = sp.GetRequiredService<IConnectionMultiplexer>();
            var l2 = new RedisCache(Microsoft.Extensions.Options.Options.Create(new RedisCacheOptions
            {
                ConnectionMultiplexerFactory = () => Task.FromResult(redis),
                InstanceName = sp.GetRequiredService<RedisKeys>().CacheInstance,
            }));
            return new ResilientDistributedCache(l2, redis, sp.GetRequiredService<ILogger<ResilientDistributedCache>>());
        });
        services.AddHybridCache(o =>
        {
            o.DefaultEntryOptions = new HybridCacheEntryOptions
            {
                Expiration = TimeSpan.FromMinutes(5),
                LocalCacheExpiration = TimeSpan.FromMinutes(1),
            };
        });
        return services;
    }
}
