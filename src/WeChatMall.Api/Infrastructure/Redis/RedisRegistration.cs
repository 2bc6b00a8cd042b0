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
        services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var cs = sp.GetRequiredService<IOptions<ConnectionStringsOptions>>().Value.Redis;
            var config = ConfigurationOptions.Parse(cs);
            // Start even when Redis is down: readiness reports it and the multiplexer reconnects by itself.
            config.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(config);
        });
        services.AddSingleton(sp => new RedisKeys(sp.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix));
        services.AddSingleton<IDatabase>(sp => sp.GetRequiredService<IConnectionMultiplexer>().GetDatabase()
            .WithKeyPrefix(sp.GetRequiredService<RedisKeys>().Prefix));
        return services;
    }
}
