using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Database;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Infrastructure.Database;

public sealed class MigrationTests
{
    private string database = "";

    [SetUp]
    public async Task CreateEmptyDatabaseAsync() => database = await TestServers.CreateDatabaseAsync("wcm_mig");

    [TearDown]
    public Task DropDatabaseAsync() => TestServers.DropDatabaseAsync(database);

    [Test]
    public async Task Migrate_OnEmptyDatabase_CreatesSchema_AndSecondRunIsNoOp()
    {
        await using var dataSource = new MySqlDataSource(TestServers.MySqlFor(database));
        var migrator = new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance);

        var first = migrator.Migrate();
        var tablesAfterFirst = await TablesAsync(dataSource);
        var changelogAfterFirst = await ChangelogCountAsync(dataSource);

        var second = migrator.Migrate();

        Assert.Multiple(async () =>
        {
            Assert.That(first, Has.Member("V1__followers_and_auto_replies.sql"));
            Assert.That(tablesAfterFirst, Is.SupersetOf(new[] { "followers", "follower_messages", "auto_reply_rules" }));
            Assert.That(second, Is.Empty, "a migrated database has nothing left to apply");
            Assert.That(await ChangelogCountAsync(dataSource), Is.EqualTo(changelogAfterFirst));
            Assert.That(await TablesAsync(dataSource), Is.EquivalentTo(tablesAfterFirst));
        });
    }

    [Test]
    public async Task Migrate_AllScripts_AreRecordedAsSuccessful()
    {
        await using var dataSource = new MySqlDataSource(TestServers.MySqlFor(database));
        new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).Migrate();

        await using var connection = await dataSource.OpenConnectionAsync();
        var failed = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM changelog WHERE success = 0");
        var scripts = typeof(DatabaseMigrator).Assembly.GetManifestResourceNames().Count(n => n.EndsWith(".sql"));
        var applied = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM changelog WHERE name LIKE 'V%'");

        Assert.Multiple(() =>
        {
            Assert.That(failed, Is.Zero);
            Assert.That(applied, Is.EqualTo(scripts));
        });
    }

    [Test]
    public async Task Migrate_ADatabaseMissingAnEarlierScript_AppliesItOutOfOrder()
    {
        // A database upgraded from a main that had V18_2 and later but not V18_2 itself (branches land out of version order):
        // simulated by forgetting V18_2 after a full migration.
        await using var dataSource = new MySqlDataSource(TestServers.MySqlFor(database));
        var migrator = new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance);
        migrator.Migrate();
        await using (var connection = await dataSource.OpenConnectionAsync())
            await connection.ExecuteAsync("DROP TABLE admin_audit; DELETE FROM changelog WHERE name = 'V18_2__admin_audit.sql'");

        var applied = migrator.Migrate();

        Assert.Multiple(async () =>
        {
            Assert.That(applied, Is.EqualTo(new[] { "V18_2__admin_audit.sql" }));
            Assert.That(await TablesAsync(dataSource), Has.Member("admin_audit"));
        });
    }

    private static async Task<List<string>> TablesAsync(MySqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<string>("SHOW TABLES")).ToList();
    }

    private static async Task<int> ChangelogCountAsync(MySqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM changelog");
    }
}
