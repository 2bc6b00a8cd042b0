using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;
using WeChatMall.Api.Infrastructure.Database;

namespace WeChatMall.Api.Infrastructure.Redis;

public static class RedisRegistration
{
    public static IServiceCollection AddRedis(this IServiceCollection services)
    {
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName).ValidateDataAnnotations();
        services.AddSingleton<IConnectionMultiplexer>(sp => Connect(sp.GetRequiredService<IOptions<ConnectionStringsOptions>>().Value.Redis));
        services.AddSingleton(sp =>
        {
            var cs = sp.GetRequiredService<IOptions<ConnectionStringsOptions>>().Value;
            return new CacheRedis(string.IsNullOrWhiteSpace(cs.RedisCache) || cs.RedisCache == cs.Redis
                ? sp.GetRequiredService<IConnectionMultiplexer>()
                : Connect(cs.RedisCache));
        });
        services.AddSingleton(sp => new RedisKeys(sp.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix));
        services.AddSingleton<IDatabase>(sp => sp.GetRequiredService<IConnectionMultiplexer>().GetDatabase()
            .WithKeyPrefix(sp.GetRequiredService<RedisKeys>().Prefix));
        return services;
    }

    static ConnectionMultiplexer Connect(string configuration)
    {
        var config = ConfigurationOptions.Parse(configuration);
        // Start even when Redis is down: readiness reports it and the multiplexer reconnects by itself.
        config.AbortOnConnectFail = false;
        return ConnectionMultiplexer.Connect(config);
    }
}

/// <summary>
/// The Redis that holds the catalog cache (ConnectionStrings:RedisCache, else the main one). Everything else — sessions,
/// streams, locks, counters — uses the durable <see cref="IConnectionMultiplexer"/>, whose server must not evict.
/// </summary>
public sealed record CacheRedis(IConnectionMultiplexer Multiplexer);
