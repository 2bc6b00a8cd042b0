using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.WeChat.Tests.Pay;

sealed record CapturedRequest(string Method, string RawTarget, byte[] Body, Dictionary<string, string> Headers);

/// <summary>How the stub answers; Tamper edits the signed headers, Unsigned drops them.</summary>
sealed record StubReply(
    int Status, string Body = "", Func<WeChatPayHeaders, WeChatPayHeaders>? Tamper = null, bool Unsigned = false,
    TimeSpan Delay = default);

// A local Kestrel server playing WeChat Pay: records each request exactly as received and signs its replies.
sealed class PayStub : IAsyncDisposable
{
    public const string PublicKeyId = "PUB_KEY_ID_0000000000000000000000000000000042";

    readonly WebApplication _app;
    readonly WeChatPayResponseSigner _signer;

    PayStub(WebApplication app, RSA platformKey)
    {
        _app = app;
        PlatformKey = platformKey;
        _signer = new WeChatPayResponseSigner(platformKey, PublicKeyId, TimeProvider.System);
    }

    public RSA PlatformKey { get; }
    public ConcurrentQueue<CapturedRequest> Requests { get; } = new();
    public Func<CapturedRequest, int, StubReply> Reply { get; set; } = (_, _) => new StubReply(204);
    public string BaseUrl => _app.Urls.First();

    public static async Task<PayStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var stub = new PayStub(app, RSA.Create(2048));
        app.Run(stub.HandleAsync);
        await app.StartAsync();
        return stub;
    }

    async Task HandleAsync(HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer);
        var captured = new CapturedRequest(ctx.Request.Method, ctx.Features.Get<IHttpRequestFeature>()!.RawTarget,
            buffer.ToArray(), ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        Requests.Enqueue(captured);
        var reply = Reply(captured, Requests.Count - 1);

        if (reply.Delay > TimeSpan.Zero)
            await Task.Delay(reply.Delay, ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        if (ctx.RequestAborted.IsCancellationRequested)
            return;
        var body = System.Text.Encoding.UTF8.GetBytes(reply.Body);
        ctx.Response.StatusCode = reply.Status;
        ctx.Response.Headers["Request-ID"] = "REQ-" + Requests.Count;
        if (!reply.Unsigned)
        {
            var headers = _signer.Sign(body);
            foreach (var (name, value) in (reply.Tamper?.Invoke(headers) ?? headers).ToPairs())
                ctx.Response.Headers[name] = value;
        }
        if (body.Length > 0)
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.Body.WriteAsync(body);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        PlatformKey.Dispose();
    }
}
