using Microsoft.Extensions.Options;

namespace WeChatMall.Api.Infrastructure.Database;

public static class MigrationStartup
{
    public static void MigrateOnStartupIfEnabled(this WebApplication app)
    {
        // Resolving the options here also validates them, so a missing setting stops startup before any I/O.
        app.Services.GetRequiredService<IOptions<ConnectionStringsOptions>>().Value.ToString();
        if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
            app.Services.GetRequiredService<DatabaseMigrator>().Migrate();
    }
}
