using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace WeChatMall.Api.Tests.TestHost;

/// <summary>
/// A Redis Cluster of the test's own on free loopback ports (<c>redis-server --cluster-enabled yes</c> and
/// <c>redis-cli --cluster create</c>, as scripts/cluster.sh does), so a test can run the API on real hash slots and
/// kill a master without touching anyone else's Redis.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    readonly List<(int Port, Process Process)> nodes = [];
    readonly string dir = Directory.CreateTempSubdirectory("wcm-redis-cluster").FullName;

    RedisCluster() { }

    /// <summary>Every node's endpoint: the client discovers the slot map from any of them.</summary>
    public string ConnectionString => string.Join(",", nodes.Select(n => $"127.0.0.1:{n.Port}"));

    /// <param name="replicasPerMaster">0: three masters only (fast); 1: each master has a replica that takes over.</param>
    public static async Task<RedisCluster> StartAsync(int replicasPerMaster = 0)
    {
        var cluster = new RedisCluster();
        try
        {
            for (var i = 0; i < 3 * (1 + replicasPerMaster); i++) cluster.StartNode();
            await cluster.CreateAsync(replicasPerMaster);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    void StartNode()
    {
        var port = FreePort();
        var nodeDir = Path.Combine(dir, port.ToString());
        Directory.CreateDirectory(nodeDir);
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(), "--bind", "127.0.0.1", "--dir", nodeDir, "--save", "", "--appendonly", "no",
                             "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000",
                             "--logfile", Path.Combine(nodeDir, "redis.log") },
            UseShellExecute = false,
        };
        nodes.Add((port, Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start")));
    }

    async Task CreateAsync(int replicas)
    {
        foreach (var (port, _) in nodes)
            for (var i = 0; i < 100 && !await PingsAsync(port); i++) await Task.Delay(50);
        var create = new ProcessStartInfo("redis-cli") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        create.ArgumentList.Add("--cluster");
        create.ArgumentList.Add("create");
        foreach (var (port, _) in nodes) create.ArgumentList.Add($"127.0.0.1:{port}");
        foreach (var a in new[] { "--cluster-replicas", replicas.ToString(), "--cluster-yes" }) create.ArgumentList.Add(a);
        using var cli = Process.Start(create)!;
        var output = await cli.StandardOutput.ReadToEndAsync() + await cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync();
        if (cli.ExitCode != 0) throw new InvalidOperationException("redis-cli --cluster create failed: " + output);
        await WaitUntilOkAsync(TimeSpan.FromSeconds(30));
        // A replica that has not finished its first sync is not allowed to take over: wait for every link to be up.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (replicas > 0)
        {
            var infos = await Task.WhenAll(nodes.Select(n => InfoAsync(n.Port, "replication")));
            var replicaInfos = infos.Where(i => i.Contains("role:slave", StringComparison.Ordinal)).ToList();
            if (replicaInfos.Count == 3 * replicas && replicaInfos.All(i => i.Contains("master_link_status:up", StringComparison.Ordinal))) break;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Redis Cluster replicas did not sync: " + string.Join(" | ", infos));
            await Task.Delay(100);
        }
    }

    async Task<string> InfoAsync(int port, string section)
    {
        try
        {
            await using var c = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true,connectTimeout=1000");
            return (await c.GetServer("127.0.0.1", port).ExecuteAsync("INFO", section)).ToString();
        }
        catch (RedisException ex) { return ex.Message; }
    }

    /// <summary>Waits until every live node reports cluster_state:ok (after a failover: the replica has taken over).</summary>
    public async Task WaitUntilOkAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var states = await Task.WhenAll(nodes.Where(n => !n.Process.HasExited).Select(n => ClusterInfoAsync(n.Port)));
            if (states.All(s => s.Contains("cluster_state:ok", StringComparison.Ordinal))) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the Redis Cluster did not reach cluster_state:ok: " + string.Join(" | ", states));
            await Task.Delay(100);
        }
    }

    /// <summary>Kills (SIGKILL) the master that owns <paramref name="key"/>'s slot; returns its port.</summary>
    public async Task<int> KillMasterOfAsync(RedisKey key)
    {
        int port;
        await using (var client = await ConnectionMultiplexer.ConnectAsync(ConnectionString))
        {
            var master = client.GetServers().First().ClusterConfiguration!.GetBySlot(client.HashSlot(key))!.EndPoint;
            port = master switch { IPEndPoint ip => ip.Port, DnsEndPoint dns => dns.Port, _ => throw new InvalidOperationException($"{master}") };
        }
        var node = nodes.Single(n => n.Port == port);
        node.Process.Kill();
        await node.Process.WaitForExitAsync();
        return port;
    }

    async Task<string> ClusterInfoAsync(int port)
    {
        try
        {
            await using var c = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true,connectTimeout=1000");
            return (await c.GetServer("127.0.0.1", port).ExecuteAsync("CLUSTER", "INFO")).ToString();
        }
        catch (RedisException ex) { return ex.Message; }
    }

    static async Task<bool> PingsAsync(int port)
    {
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException) { return false; }
    }

    // A cluster node also listens on its port + 10000 (the cluster bus): both must be free.
    static int FreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Random.Shared.Next(20_000, 30_000);
            if (IsFree(port) && IsFree(port + 10_000)) return port;
            if (attempt > 200) throw new InvalidOperationException("no free port pair for a Redis Cluster node");
        }
    }

    static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException) { return false; }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process) in nodes)
        {
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
        }
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}
