using System.Text.RegularExpressions;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Infrastructure.Database;

/// <summary>
/// What a Galera cluster requires of the schema and the SQL (docs/scale-out.md): every table InnoDB with a primary key
/// (rows are replicated and certified by key; a table without one is replicated badly or not at all), and no
/// LOCK TABLES or named locks, which are not replicated. Checked on the migrated test database and on the sources.
/// </summary>
public sealed partial class GaleraRequirementsTests
{
    [Test]
    public async Task Every_table_of_the_migrated_schema_has_a_primary_key()
    {
        var withoutKey = await TestEnvironment.Api.QueryAsync<string>("""
            SELECT t.TABLE_NAME FROM information_schema.TABLES t
            WHERE t.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE'
              AND NOT EXISTS (SELECT 1 FROM information_schema.TABLE_CONSTRAINTS c
                              WHERE c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME AND c.CONSTRAINT_TYPE = 'PRIMARY KEY')
            """);
        var tables = await TestEnvironment.Api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'");

        Assert.Multiple(() =>
        {
            Assert.That(tables, Is.GreaterThan(20), "the migrations ran");
            Assert.That(withoutKey, Is.Empty);
        });
    }

    [Test]
    public async Task Every_table_of_the_migrated_schema_is_InnoDB()
    {
        var others = await TestEnvironment.Api.QueryAsync<string>("""
            SELECT CONCAT(TABLE_NAME, ' ', ENGINE) FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND ENGINE <> 'InnoDB'
            """);
        Assert.That(others, Is.Empty);
    }

    [Test]
    public void No_source_or_migration_uses_LOCK_TABLES_or_named_locks()
    {
        var root = FindRoot();
        var hits = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".sql", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (file: Path.GetRelativePath(root, f).Replace('\\', '/'), line, i)))
            .Where(x => LockStatement().IsMatch(x.line))
            .Select(x => $"{x.file}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.That(hits, Is.Empty);
    }

    [GeneratedRegex(@"\bLOCK\s+TABLES?\b|\bGET_LOCK\s*\(|\bRELEASE_LOCK\s*\(|\bFLUSH\s+TABLES\s+WITH\s+READ\s+LOCK\b", RegexOptions.IgnoreCase)]
    private static partial Regex LockStatement();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WeChatMall.sln"))) return dir.FullName;
        throw new InvalidOperationException("WeChatMall.sln not found above the test directory");
    }
}
