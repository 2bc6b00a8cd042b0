using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace WeChatMall.Api.Tests.TestHost;

/// <summary>
/// One API instance on its own database and Redis key prefix. Several factories may share a database
/// (<see cref="StartAsync"/> with a name) to play several instances behind a load balancer.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;
    private readonly bool ownsDatabase;
    private readonly TimeProvider? clock;
    private string environment = "Testing";

    private ApiFactory(string database, string redisPrefix, bool ownsDatabase, IDictionary<string, string?>? extra, TimeProvider? clock)
    {
        Database = database;
        RedisPrefix = redisPrefix;
        this.ownsDatabase = ownsDatabase;
        this.clock = clock;
        settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:MySql"] = TestServers.MySqlFor(database),
            ["ConnectionStrings:Redis"] = TestServers.Redis,
            ["Redis:KeyPrefix"] = redisPrefix,
            ["Admin:ApiKey"] = AdminKey,
            ["WeChat:OfficialAccount:AppId"] = WeChatTestAccount.AppId,
            ["WeChat:OfficialAccount:AppSecret"] = "test-secret",
            ["WeChat:OfficialAccount:Token"] = WeChatTestAccount.Token,
            ["WeChat:OfficialAccount:EncodingAESKey"] = WeChatTestAccount.EncodingAesKey,
            // Nothing in a test may reach the real WeChat: tests that need it start the sandbox and override this.
            ["WeChat:ApiBaseUrl"] = "http://127.0.0.1:9",
            ["Outbox:Enabled"] = "false",
        };
        Apply(settings, extra);
    }

    // A null value removes the setting, so the instance runs with the shipped default (appsettings.json, options class).
    private static void Apply(Dictionary<string, string?> target, IDictionary<string, string?>? extra)
    {
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
            if (v is null) target.Remove(k);
            else target[k] = v;
    }

    public const string AdminKey = "test-admin-key-0123456789";

    public string Database { get; }
    public string RedisPrefix { get; }

    /// <summary>
    /// Starts an instance on a fresh database. By default it runs on the in-memory TestServer; with
    /// <paramref name="kestrel"/> it listens on a free loopback port (<see cref="BaseAddress"/>) so that another
    /// process — the sandbox playing WeChat — can call back into it. A setting given as null is removed (shipped
    /// default); <paramref name="clock"/> replaces the app's <see cref="TimeProvider"/>.
    /// </summary>
    public static async Task<ApiFactory> StartAsync(IDictionary<string, string?>? extra = null, bool kestrel = false, TimeProvider? clock = null)
    {
        var database = await TestServers.CreateDatabaseAsync();
        var factory = new ApiFactory(database, $"t:{database}:", ownsDatabase: true, extra, clock);
        if (kestrel) factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return factory;
    }

    /// <summary>Where the instance answers: http://127.0.0.1:port/ on Kestrel, http://localhost/ on the TestServer.</summary>
    public Uri BaseAddress => ClientOptions.BaseAddress;

    /// <summary>A second instance sharing this one's database, Redis prefix and clock (in another hosting environment if given).</summary>
    public ApiFactory StartSibling(IDictionary<string, string?>? extra = null, bool kestrel = false, string environment = "Testing")
    {
        var sibling = new ApiFactory(Database, RedisPrefix, ownsDatabase: false, MergeExtra(extra), clock) { environment = environment };
        if (kestrel) sibling.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        sibling.StartServer();
        return sibling;
    }

    private Dictionary<string, string?> MergeExtra(IDictionary<string, string?>? extra)
    {
        var merged = new Dictionary<string, string?>(settings);
        // A null is kept (not applied here), so the sibling's constructor removes the setting from its defaults too.
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) merged[k] = v;
        return merged;
    }

    /// <summary>A client authenticated as a merchant operator.</summary>
    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // "Testing" loads no appsettings.Development.json, so every setting a test relies on is given here.
        builder.UseEnvironment(environment);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        if (clock is not null) builder.ConfigureTestServices(s => s.AddSingleton(clock));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsDatabase) await TestServers.DropDatabaseAsync(Database);
    }
}
