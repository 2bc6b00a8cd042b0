using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace WeChatMall.Api.Tests.TestHost;

/// <summary>
/// API instances as real processes (what <c>kill -9</c> can hit) behind HAProxy, as scripts/cluster.sh runs them.
/// Used by the fault tests of category <see cref="ClusterScript.Category"/>; HAProxy is installed by scripts/cluster.sh.
/// </summary>
public static class ApiProcesses
{
    /// <summary>Settings every instance shares: its own database and Redis prefix, the test accounts.</summary>
    public static Dictionary<string, string?> Settings(Dictionary<string, string?> baseSettings, string database) =>
        new(baseSettings)
        {
            ["ConnectionStrings:MySql"] = TestServers.MySqlFor(database),
            ["ConnectionStrings:Redis"] = TestServers.Redis,
            ["Redis:KeyPrefix"] = $"t:{database}:",
            ["Admin:ApiKey"] = ApiFactory.AdminKey,
            ["WeChat:OfficialAccount:AppId"] = WeChatTestAccount.AppId,
            ["WeChat:OfficialAccount:Token"] = WeChatTestAccount.Token,
            ["WeChat:OfficialAccount:EncodingAESKey"] = WeChatTestAccount.EncodingAesKey,
            ["WeChatPay:MchId"] = SandboxHost.MchId,
        };

    public static Process StartApi(Dictionary<string, string?> settings, int port)
    {
        var dll = Path.Combine(Root, "src/WeChatMall.Api/bin/Debug/net10.0/WeChatMall.Api.dll");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in settings) if (v is not null) start.Environment[k.Replace(":", "__", StringComparison.Ordinal)] = v;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static Process StartHaproxy(int front, int port1, int port2)
    {
        var config = Path.Combine(Directory.CreateTempSubdirectory("wcm-haproxy").FullName, "haproxy.cfg");
        File.WriteAllText(config, $"""
            defaults
              mode http
              timeout connect 1s
              timeout client 30s
              timeout server 30s
              retries 3
              option redispatch
            listen api
              bind 127.0.0.1:{front}
              retry-on conn-failure empty-response response-timeout
              option httpchk GET /health/ready
              default-server inter 500ms fall 1 rise 2
              server api1 127.0.0.1:{port1} check
              server api2 127.0.0.1:{port2} check

            """);
        var start = new ProcessStartInfo("haproxy") { UseShellExecute = false, ArgumentList = { "-db", "-f", config } };
        return Process.Start(start) ?? throw new InvalidOperationException("haproxy did not start (scripts/cluster.sh installs it)");
    }

    /// <summary>Both instances ready (the first applies the migrations) and HAProxy sees them up.</summary>
    public static async Task WaitReadyAsync(HttpClient front, params Process[] apis)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (apis.Any(a => a.HasExited)) Assert.Fail("an API instance exited at startup");
            try
            {
                var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => front.GetAsync("/health/ready")));
                if (answers.All(r => r.IsSuccessStatusCode)) { await Task.Delay(1500); return; }
            }
            catch (HttpRequestException) { }
            await Task.Delay(500);
        }
        Assert.Fail("the API instances did not become ready behind HAProxy");
    }

    /// <summary>Sends a signal (STOP, CONT, KILL …) to the process, as <c>kill -SIGNAL pid</c>.</summary>
    public static void Signal(Process process, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, process.Id.ToString(CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
    }

    public static async Task<List<T>> QueryAsync<T>(string database, string sql, object? args = null)
    {
        await using var c = new MySqlConnector.MySqlConnection(TestServers.MySqlFor(database));
        return (await Dapper.SqlMapper.QueryAsync<T>(c, sql, args)).ToList();
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    static readonly string Root = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WeChatMall.sln"))) return dir.FullName;
        throw new InvalidOperationException("WeChatMall.sln not found above the test directory");
    }
}
