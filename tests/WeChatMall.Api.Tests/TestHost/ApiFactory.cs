using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace WeChatMall.Api.Tests.TestHost;

/// <summary>
/// One API instance on its own database and Redis key prefix. Several factories may share a database
/// (<see cref="StartAsync"/> with a name) to play several instances behind a load balancer.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;
    private readonly bool ownsDatabase;

    private ApiFactory(string database, string redisPrefix, bool ownsDatabase, IDictionary<string, string?>? extra)
    {
        Database = database;
        RedisPrefix = redisPrefix;
        this.ownsDatabase = ownsDatabase;
        settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:MySql"] = TestServers.MySqlFor(database),
            ["ConnectionStrings:Redis"] = TestServers.Redis,
            ["Redis:KeyPrefix"] = redisPrefix,
            ["Admin:ApiKey"] = AdminApiKey,
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
    }

    public const string AdminApiKey = "test-admin-key";

    public string Database { get; }
    public string RedisPrefix { get; }

    public static async Task<ApiFactory> StartAsync(IDictionary<string, string?>? extra = null)
    {
        var database = await TestServers.CreateDatabaseAsync();
        var factory = new ApiFactory(database, $"t:{database}:", ownsDatabase: true, extra);
        factory.StartServer();
        return factory;
    }

    /// <summary>A second instance sharing this one's database and Redis prefix.</summary>
    public ApiFactory StartSibling(IDictionary<string, string?>? extra = null)
    {
        var sibling = new ApiFactory(Database, RedisPrefix, ownsDatabase: false, MergeExtra(extra));
        sibling.StartServer();
        return sibling;
    }

    private Dictionary<string, string?> MergeExtra(IDictionary<string, string?>? extra)
    {
        var merged = new Dictionary<string, string?>(settings);
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) merged[k] = v;
        return merged;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // "Testing" loads no appsettings.Development.json, so every setting a test relies on is given here.
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsDatabase) await TestServers.DropDatabaseAsync(Database);
    }
}
