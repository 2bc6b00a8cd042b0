using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WeChatMall.WeChat.Tests;

sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string Body, string ContentType);

// A local stand-in for api.weixin.qq.com on Kestrel (127.0.0.1, random port) that records every request.
sealed class StubWeChatServer(WebApplication app, string baseUrl) : IAsyncDisposable
{
    int _tokens;

    public string BaseUrl => baseUrl;
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();
    public Func<RecordedRequest, (int Status, string Body)?>? Respond { get; set; }
    public TimeSpan TokenDelay { get; set; }
    public int TokenRequests => Requests.Count(r => r.Path == "/cgi-bin/stable_token");
    public IEnumerable<RecordedRequest> ApiRequests => Requests.Where(r => r.Path != "/cgi-bin/stable_token");

    public static async Task<StubWeChatServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        StubWeChatServer? stub = null;
        app.Run(async ctx => await stub!.HandleAsync(ctx));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub = new StubWeChatServer(app, address);
        return stub;
    }

    async Task HandleAsync(HttpContext ctx)
    {
        var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
        var request = new RecordedRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "",
            ctx.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), body, ctx.Request.ContentType ?? "");
        Requests.Enqueue(request);
        var (status, text) = Respond?.Invoke(request) ?? await DefaultAsync(request);
        ctx.Response.StatusCode = status;
        // WeChat often labels JSON as text/plain; the client must not care.
        ctx.Response.ContentType = "text/plain";
        await ctx.Response.WriteAsync(text);
    }

    async Task<(int, string)> DefaultAsync(RecordedRequest request)
    {
        if (request.Path != "/cgi-bin/stable_token") return (200, """{"errcode":0,"errmsg":"ok"}""");
        if (TokenDelay > TimeSpan.Zero) await Task.Delay(TokenDelay);
        return (200, $$"""{"access_token":"TOKEN-{{Interlocked.Increment(ref _tokens)}}","expires_in":7200}""");
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
