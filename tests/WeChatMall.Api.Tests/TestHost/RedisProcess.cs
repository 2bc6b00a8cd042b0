using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace WeChatMall.Api.Tests.TestHost;

/// <summary>
/// A redis-server of the test's own, on a free port and in its own directory, that the test can really stop or
/// hang (SIGSTOP: process paused, socket open) without touching the shared Redis other tests use.
/// </summary>
public sealed class RedisProcess : IAsyncDisposable
{
    readonly Process process;
    readonly string dir;

    RedisProcess(Process process, string dir, int port) => (this.process, this.dir, Port) = (process, dir, port);

    public int Port { get; }

    /// <summary>Host and port only: the client's shipped defaults (timeouts, retries) apply.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisProcess> StartAsync()
    {
        var dir = Directory.CreateTempSubdirectory("wcm-redis-test").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no",
                             "--logfile", Path.Combine(dir, "redis.log") },
            UseShellExecute = false,
        };
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not on PATH (scripts/services.sh needs it too).", ex);
        }
        var redis = new RedisProcess(process, dir, port);
        for (var i = 0; i < 100 && !await redis.AnswersPingAsync(); i++) await Task.Delay(50);
        if (!await redis.AnswersPingAsync()) throw new InvalidOperationException($"redis-server on port {port} did not start: see {dir}/redis.log");
        return redis;
    }

    /// <summary>Kills the server: the port is closed, connections are reset.</summary>
    public void Stop()
    {
        if (process.HasExited) return;
        process.Kill();
        process.WaitForExit();
    }

    /// <summary>Pauses the server (SIGSTOP): connections stay open and nothing is answered.</summary>
    public void Hang() => Signal(SigStop);

    public void Resume() => Signal(SigCont);

    const int SigCont = 18, SigStop = 19;

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);

    void Signal(int sig)
    {
        if (kill(process.Id, sig) != 0) throw new InvalidOperationException($"kill({process.Id}, {sig}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(1));
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException) { return false; }
    }

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(); // SIGKILL also ends a stopped process
            process.WaitForExit();
        }
        process.Dispose();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
