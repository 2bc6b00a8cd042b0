using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Infrastructure.Redis;

namespace WeChatMall.Api.Infrastructure.Caching;

public static class CachingRegistration
{
    /// <summary>
    /// HybridCache: in-process L1 with per-key stampede protection and a size limit (Caching:LocalCacheMaxBytes),
    /// Redis L2 on the cache Redis (ConnectionStrings:RedisCache, else the main one) under the configured key prefix.
    /// Safe to call from several features.
    /// </summary>
    public static IServiceCollection AddHybridCaching(this IServiceCollection services)
    {
        services.AddOptions<CachingOptions>().BindConfiguration(CachingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // The L1 is the app's IMemoryCache: with a SizeLimit every entry must carry a Size (HybridCache sets the payload's).
        services.AddOptions<MemoryCacheOptions>().Configure<IOptions<CachingOptions>>((m, o) => m.SizeLimit = o.Value.LocalCacheMaxBytes);
        services.TryAddSingleton<IDistributedCache>(sp =>
        {
            var redis = sp.GetRequiredService<CacheRedis>().Multiplexer;
            var l2 = new RedisCache(Options.Create(new RedisCacheOptions
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
