using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Tests.TestHost;

/// <summary>Direct reads of the test database, to assert on what was stored.</summary>
public static class Db
{
    public static async Task<T> ScalarAsync<T>(this ApiFactory api, string sql, object? args = null)
    {
        await using var c = new MySqlConnection(TestServers.MySqlFor(api.Database));
        return await c.ExecuteScalarAsync<T>(sql, args) ?? default!;
    }

    public static async Task<dynamic?> RowAsync(this ApiFactory api, string sql, object? args = null)
    {
        await using var c = new MySqlConnection(TestServers.MySqlFor(api.Database));
        return await c.QuerySingleOrDefaultAsync(sql, args);
    }
}
