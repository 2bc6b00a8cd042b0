using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace WeChatMall.Api.Tests.TestHost;

/// <summary>A tiny HTTP endpoint on a free loopback port that records what it receives and answers via a callback.</summary>
public sealed class LocalReceiver : IAsyncDisposable
{
    public sealed record Received(IReadOnlyDictionary<string, string> Headers, byte[] Body, string Query);

    private readonly WebApplication app;

    private LocalReceiver(WebApplication app) => this.app = app;

    public ConcurrentQueue<Received> Requests { get; } = new();
    public string Url => app.Urls.Single().TrimEnd('/') + "/receive";

    /// <param name="answer">Status and body for the n-th (0-based) request.</param>
    public static async Task<LocalReceiver> StartAsync(Func<int, Task<(int Status, string Body)>> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new LocalReceiver(app);
        var count = -1;
        app.MapPost("/receive", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            receiver.Requests.Enqueue(new Received(
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                buffer.ToArray(), http.Request.QueryString.Value ?? ""));
            var (status, body) = await answer(Interlocked.Increment(ref count));
            return Results.Text(body, "text/plain", statusCode: status);
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
