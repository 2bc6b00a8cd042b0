using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MySqlConnector;
using StackExchange.Redis;

namespace WeChatMall.Api.Tests.Scripts;

/// <summary>
/// The scripts honour their own settings: scripts/services.sh on other ports starts servers there, and the connection
/// strings that scripts/lib/env.sh derives for the API (start.sh, bench.sh) and the tests (test.sh) point at them,
/// not at the servers of another checkout on the default ports.
/// </summary>
[NonParallelizable]
public sealed class ScriptSettingsTests
{
    static readonly string Root = FindRoot();

    // What scripts/test.sh exported for this run must not leak into the scripts started here.
    static readonly string[] Derived = ["ConnectionStrings__MySql", "ConnectionStrings__Redis", "WECHATMALL_TEST_MYSQL",
        "WECHATMALL_TEST_REDIS", "MYSQL_SERVER", "MYSQL_PORT", "REDIS_PORT", "WECHATMALL_DATA_DIR"];

    [Test, CancelAfter(300_000)]
    public async Task ServicesOnOtherPorts_AreWhatTheApiAndTheTestsAreGiven(CancellationToken ct)
    {
        var (mysqlPort, redisPort) = (FreePort(), FreePort());
        var dataDir = Directory.CreateTempSubdirectory("wcm-ports-").FullName;
        var env = Derived.ToDictionary(v => v, _ => (string?)null);
        env["MYSQL_PORT"] = mysqlPort.ToString();
        env["REDIS_PORT"] = redisPort.ToString();
        env["WECHATMALL_DATA_DIR"] = dataDir;
        try
        {
            var started = await RunAsync("bash", [Path.Combine(Root, "scripts/services.sh"), "start"], env, Root, TimeSpan.FromSeconds(180), ct);
            Assert.That(started.ExitCode, Is.Zero, started.Output);
            var printed = await RunAsync("bash", [Path.Combine(Root, "scripts/lib/env.sh")], env, Root, TimeSpan.FromSeconds(20), ct);
            var derived = printed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);

            // The tests' servers (test.sh) are the ones just started, answering on the ports asked for.
            await using (var mysql = new MySqlConnection(derived["WECHATMALL_TEST_MYSQL"]))
            {
                await mysql.OpenAsync(ct);
                await using var port = new MySqlCommand("SELECT @@port", mysql);
                Assert.That(Convert.ToInt32(await port.ExecuteScalarAsync(ct)), Is.EqualTo(mysqlPort));
            }
            var redisOptions = ConfigurationOptions.Parse(derived["WECHATMALL_TEST_REDIS"]);
            redisOptions.AllowAdmin = true;
            using (var redis = await ConnectionMultiplexer.ConnectAsync(redisOptions))
            {
                var config = await redis.GetServer(redis.GetEndPoints()[0]).ConfigGetAsync("port");
                Assert.That(config.Single().Value, Is.EqualTo(redisPort.ToString()));
            }

            // The API as start.sh runs it (Development settings, which name 3307 and 6380) with the derived
            // connection strings: its migrations land in the new server's database.
            var apiEnv = new Dictionary<string, string?>(env)
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ConnectionStrings__MySql"] = derived["ConnectionStrings__MySql"],
                ["ConnectionStrings__Redis"] = derived["ConnectionStrings__Redis"],
            };
            var apiDir = Path.GetDirectoryName(typeof(Program).Assembly.Location)!;
            var migrated = await RunAsync("dotnet", [Path.Combine(apiDir, "WeChatMall.Api.dll"), "migrate"], apiEnv, apiDir, TimeSpan.FromSeconds(120), ct);
            Assert.That(migrated.ExitCode, Is.Zero, migrated.Output);
            await using (var mysql = new MySqlConnection(derived["ConnectionStrings__MySql"]))
            {
                await mysql.OpenAsync(ct);
                await using var count = new MySqlCommand("SELECT @@port, (SELECT COUNT(*) FROM changelog)", mysql);
                await using var row = await count.ExecuteReaderAsync(ct);
                await row.ReadAsync(ct);
                Assert.That(row.GetInt32(0), Is.EqualTo(mysqlPort));
                Assert.That(row.GetInt64(1), Is.GreaterThan(0), "migrations were applied to this server");
            }
        }
        finally
        {
            var stopped = await RunAsync("bash", [Path.Combine(Root, "scripts/services.sh"), "stop"], env, Root, TimeSpan.FromSeconds(60), CancellationToken.None);
            TestContext.Out.WriteLine(stopped.Output);
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }

    [TestCase("scripts/services.sh")]
    [TestCase("scripts/start.sh")]
    [TestCase("scripts/test.sh")]
    [TestCase("scripts/bench.sh")]
    public void Script_TakesItsServerSettingsFromTheSharedHelper(string script)
    {
        var text = File.ReadAllText(Path.Combine(Root, script));
        Assert.That(text, Does.Match(@"(?m)^source "".*lib/env\.sh""$"));
        Assert.That(text, Does.Not.Contain(":-3307").And.Not.Contain(":-6380"), "no port default of its own");
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "services.sh"))) return dir.FullName;
        throw new InvalidOperationException("scripts/services.sh not found above the test directory");
    }

    static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, Dictionary<string, string?> env,
        string workingDirectory, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in env)
            if (v is null) start.Environment.Remove(k); else start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{file} {string.Join(' ', args)} did not finish within {timeout}\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
