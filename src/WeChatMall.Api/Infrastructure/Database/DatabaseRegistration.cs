using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace WeChatMall.Api.Infrastructure.Database;

public static class DatabaseRegistration
{
    public static IServiceCollection AddDatabase(this IServiceCollection services)
    {
        services.AddOptions<ConnectionStringsOptions>().BindConfiguration(ConnectionStringsOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConnectionStringsOptions>, ConnectionStringsValidator>();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);

        DefaultTypeMap.MatchNamesWithUnderscores = true;
        // MySqlDataSource is the connection factory: pooled, one per process, opened per unit of work.
        services.AddSingleton(sp =>
        {
            var cs = sp.GetRequiredService<IOptions<ConnectionStringsOptions>>().Value.MySql;
            // Times are stored in UTC: read them back as DateTimeKind.Utc so JSON carries the "Z" (and a local time
            // passed as a parameter by mistake fails loudly instead of being stored shifted).
            var builder = new MySqlConnectionStringBuilder(cs) { GuidFormat = MySqlGuidFormat.None, DateTimeKind = MySqlDateTimeKind.Utc };
            return new MySqlDataSourceBuilder(builder.ConnectionString)
                .UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>())
                .Build();
        });
        services.AddSingleton<DatabaseMigrator>();
        return services;
    }
}
