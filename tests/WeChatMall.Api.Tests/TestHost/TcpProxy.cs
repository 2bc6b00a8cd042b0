using System.Net;
using System.Net.Sockets;

namespace WeChatMall.Api.Tests.TestHost;

/// <summary>
/// A loopback TCP forwarder to a real server. <see cref="Stop"/> closes the port and every connection through it,
/// so a test can break an instance's link to the shared Redis without stopping Redis for everyone else.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    readonly string upstreamHost;
    readonly int upstreamPort;
    readonly List<TcpClient> connections = [];
    TcpListener? listener;
    CancellationTokenSource cts = new();

    public TcpProxy(string upstream)
    {
        var parts = upstream.Split(',')[0].Split(':');
        (upstreamHost, upstreamPort) = (parts[0], int.Parse(parts[1]));
        Start(0);
    }

    public int Port { get; private set; }

    public void Start(int port)
    {
        cts = new CancellationTokenSource();
        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = AcceptAsync(listener, cts.Token);
    }

    public void Restart() => Start(Port);

    public void Stop()
    {
        cts.Cancel();
        listener?.Stop();
        lock (connections)
        {
            foreach (var c in connections) c.Dispose();
            connections.Clear();
        }
    }

    async Task AcceptAsync(TcpListener l, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await l.AcceptTcpClientAsync(ct); }
            catch (Exception) { return; }
            var upstream = new TcpClient();
            try { await upstream.ConnectAsync(upstreamHost, upstreamPort, ct); }
            catch (Exception) { client.Dispose(); upstream.Dispose(); continue; }
            lock (connections) connections.AddRange([client, upstream]);
            _ = PumpAsync(client, upstream, ct);
            _ = PumpAsync(upstream, client, ct);
        }
    }

    static async Task PumpAsync(TcpClient from, TcpClient to, CancellationToken ct)
    {
        try { await from.GetStream().CopyToAsync(to.GetStream(), ct); }
        catch (Exception) { /* either side closed: close both */ }
        from.Dispose();
        to.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
