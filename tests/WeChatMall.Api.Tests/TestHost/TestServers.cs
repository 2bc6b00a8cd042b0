using MySqlConnector;
using StackExchange.Redis;

namespace WeChatMall.Api.Tests.TestHost;

/// <summary>
/// The real MariaDB and Redis started by scripts/services.sh. Overridable with WECHATMALL_TEST_MYSQL
/// (a connection string without Database) and WECHATMALL_TEST_REDIS.
/// </summary>
public static class TestServers
{
    public static string MySqlServer { get; } = Environment.GetEnvironmentVariable("WECHATMALL_TEST_MYSQL")
        ?? "Server=127.0.0.1;Port=3307;User ID=wechatmall;Password=wechatmall_dev";

    public static string Redis { get; } = Environment.GetEnvironmentVariable("WECHATMALL_TEST_REDIS") ?? "127.0.0.1:6380";

    private const string Hint = "Start the local servers with `scripts/services.sh start` (scripts/test.sh does it for you).";

    public static string MySqlFor(string database) =>
        new MySqlConnectionStringBuilder(MySqlServer) { Database = database }.ConnectionString;

    public static async Task<string> CreateDatabaseAsync(string prefix = "wcm_test")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 64)];
        await ExecuteServerAsync($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        return name;
    }

    public static Task DropDatabaseAsync(string name) =>
        Environment.GetEnvironmentVariable("KEEP_TEST_DB") == "1"
            ? Task.CompletedTask
            : ExecuteServerAsync($"DROP DATABASE IF EXISTS `{name}`");

    private static async Task ExecuteServerAsync(string sql)
    {
        try
        {
            await using var connection = new MySqlConnection(MySqlServer);
            await connection.OpenAsync();
            await using var command = new MySqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (MySqlException ex)
        {
            throw new InvalidOperationException($"MariaDB at {MySqlServer.Split(";Password")[0]} is not usable: {ex.Message}. {Hint}", ex);
        }
    }

    public static async Task<IConnectionMultiplexer> ConnectRedisAsync()
    {
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(Redis);
        }
        catch (RedisConnectionException ex)
        {
            throw new InvalidOperationException($"Redis at {Redis} is not reachable. {Hint}", ex);
        }
    }
}
