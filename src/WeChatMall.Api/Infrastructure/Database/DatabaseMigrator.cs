using EvolveDb;
using EvolveDb.Dialect;
using MySqlConnector;

namespace WeChatMall.Api.Infrastructure.Database;

/// <summary>Applies the versioned SQL scripts embedded from Migrations/ with Evolve.</summary>
public sealed class DatabaseMigrator(MySqlDataSource dataSource, ILogger<DatabaseMigrator> logger)
{
    public IReadOnlyList<string> Migrate()
    {
        using var connection = dataSource.CreateConnection();
        var evolve = new Evolve(connection, msg => Log.Evolve(logger, msg), DBMS.MySQL)
        {
            EmbeddedResourceAssemblies = [typeof(DatabaseMigrator).Assembly],
            EmbeddedResourceFilters = ["WeChatMall.Api.Infrastructure.Database.Migrations"],
            // Old scripts are never edited: a changed checksum must stop startup, not be silently re-run.
            MustEraseOnValidationError = false,
            IsEraseDisabled = true,
            EnableClusterMode = true,
            // Features land from parallel branches, so a database may have V17 before V15 arrives. Each script must
            // therefore stand on the scripts numbered below it that were on main when it was written, never on a later one.
            OutOfOrder = true,
            // A script that fills or indexes a large table (millions of orders) runs for minutes, not the 30 s default.
            CommandTimeout = 3600,
        };
        evolve.Migrate();
        Log.Migrated(logger, evolve.NbMigration, connection.Database);
        return evolve.AppliedMigrations.ToList();
    }
}

static partial class Log
{
    [LoggerMessage(1001, LogLevel.Debug, "Evolve: {Message}")]
    public static partial void Evolve(ILogger logger, string message);

    [LoggerMessage(1002, LogLevel.Information, "Database {Database}: {Count} migration(s) applied")]
    public static partial void Migrated(ILogger logger, int count, string database);
}
