using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Features.Members;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace WeChatMall.Api.Features.Orders;

/// <summary>
/// Answers an order attempt on a SKU this instance remembers sold out (<see cref="FlashSaleSoldOut"/>) with the gate's
/// own refusal, before anything else of the app runs (docs/flash-sale.md): it is the first middleware (a startup
/// filter, <see cref="First"/>), ahead of routing, authentication, the DI request scope and the rate-limit window — a
/// sold-out answer needs none of them. It answers only when the endpoint would have reached the gate with that SKU
/// first: <c>POST /api/orders</c> with a session this instance remembers as valid (<see cref="MemberSessions.Remembered"/>:
/// a missing, unknown or forged one goes on and is 401 as before) and a valid keyless order of lines whose lowest SKU
/// id is remembered. Anything else goes on unchanged, counted by the rate limit as before.
/// </summary>
public sealed class SoldOutShortcut(RequestDelegate next, FlashSaleSoldOut soldOut, MemberSessions sessions, SoldOutAnswers answers,
    IOptions<HttpJsonOptions> json, IOptions<OrderOptions> orderOptions)
{
    /// <summary>Puts the shortcut in front of the whole application pipeline.</summary>
    public sealed class First : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<SoldOutShortcut>();
            next(app);
        };
    }

    const int MaxBodyBytes = 16 * 1024;

    public Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (soldOut.IsEmpty || !HttpMethods.IsPost(request.Method) || !IsPlaceOrderPath(request.Path)
            || request.Headers.ContainsKey(PlaceOrder.IdempotencyHeader) || !request.HasJsonContentType()
            || request.ContentLength is not (> 0 and <= MaxBodyBytes)
            || !MemberAuth.TryBearerToken(request, out var token))
            return next(http);
        return sessions.Remembered(token) is not null ? ReadAndAnswerAsync(http) : LookUpSessionAsync(http, token.ToString());
    }

    /// <summary>
    /// The session is not in this instance's memory (a new shopper, or its entry ran out): ask Redis as authentication
    /// would, and hand the outcome to it (<see cref="SessionLookup"/>), so that an unknown or forged token is refused
    /// 401 (or 503 while Redis is away) by the endpoint's pipeline as before, without a second lookup.
    /// </summary>
    async Task LookUpSessionAsync(HttpContext http, string token)
    {
        SessionLookup lookup;
        try
        {
            lookup = new SessionLookup(token, await sessions.FindAsync(token, http.RequestAborted), null);
        }
        catch (Exception ex) when (MemberSessions.IsOutage(ex))
        {
            lookup = new SessionLookup(token, null, ex);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            http.Response.StatusCode = 499; // the client is gone, as the exception handler answers it
            return;
        }
        http.Features.Set(lookup);
        if (lookup.MemberId is null) await next(http);
        else await ReadAndAnswerAsync(http);
    }

    /// <summary>The route of PlaceOrder (<c>/api/orders</c> + <c>/</c>), matched as routing matches it.</summary>
    static bool IsPlaceOrderPath(PathString path) =>
        path.Value is { } p && p.AsSpan().TrimEnd('/').Equals("/api/orders", StringComparison.OrdinalIgnoreCase)
        && p.Length <= "/api/orders/".Length;

    async Task ReadAndAnswerAsync(HttpContext http)
    {
        // The body is small and its length known: read it whole and parse it from memory; an attempt that goes on
        // gets the same bytes back as its body (or, if reading failed, the same failure when the endpoint reads it).
        var body = new byte[(int)http.Request.ContentLength!.Value];
        var read = 0;
        TaskCompletionSource? probe = null;
        try
        {
            for (int n; read < body.Length && (n = await http.Request.Body.ReadAsync(body.AsMemory(read), http.RequestAborted)) > 0;) read += n;
        }
        catch (Exception ex)
        {
            http.Request.Body = new FailedBody(ExceptionDispatchInfo.Capture(ex));
            await next(http);
            return;
        }
        var first = read == body.Length ? GatedFirstLine(body) : null;
        var memory = first is null ? FlashSaleSoldOut.Memory.Unknown : soldOut.Check(first.SkuId, out probe);
        if (memory == FlashSaleSoldOut.Memory.Wait)
        {
            // The memory of the SKU just ran out and another attempt is asking the gate: its answer decides.
            await probe!.Task;
            memory = soldOut.IsSoldOut(first!.SkuId) ? FlashSaleSoldOut.Memory.SoldOut : FlashSaleSoldOut.Memory.Unknown;
        }
        if (memory == FlashSaleSoldOut.Memory.SoldOut)
        {
            await WriteSoldOutAsync(http, first!.SkuId, first.Quantity);
            return;
        }
        http.Request.Body = new MemoryStream(body, 0, read, writable: false);
        try
        {
            await next(http);
        }
        finally
        {
            if (memory == FlashSaleSoldOut.Memory.Probe) soldOut.EndProbe(first!.SkuId, probe!);
        }
    }

    /// <summary>The line the endpoint would ask the gate about first, when the body is an order the endpoint accepts.</summary>
    OrderLineRequest? GatedFirstLine(byte[] body)
    {
        PlaceOrderRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<PlaceOrderRequest>(body, json.Value.SerializerOptions);
        }
        catch (JsonException)
        {
            return null; // the endpoint's binding answers it, as without the shortcut
        }
        return request is { Lines: { Count: > 0 } lines, CartSkuIds: null or { Count: 0 } }
            && PlaceOrder.Validate(request, null, orderOptions.Value).Count == 0
            ? lines.MinBy(l => l.SkuId) : null;
    }

    /// <summary>The gate's refusal: from the prepared bytes when the client takes JSON as the writer would, else the result itself.</summary>
    async Task WriteSoldOutAsync(HttpContext http, long skuId, int quantity)
    {
        var traceId = http.TraceIdentifier;
        if (!AcceptsAnyJson(http.Request) || !SoldOutAnswers.IsPlain(traceId) || await answers.ForAsync(skuId, quantity) is not { } t)
        {
            await FlashSaleGate.SoldOut(skuId, quantity).ExecuteAsync(http);
            return;
        }
        var response = http.Response;
        response.StatusCode = t.Status;
        foreach (var (name, value) in t.Headers) response.Headers[name] = value;
        var length = t.Head.Length + traceId.Length + t.Tail.Length;
        response.ContentLength = length;
        var span = response.BodyWriter.GetSpan(length);
        t.Head.CopyTo(span);
        var written = t.Head.Length + System.Text.Encoding.ASCII.GetBytes(traceId, span[t.Head.Length..]);
        t.Tail.CopyTo(span[written..]);
        response.BodyWriter.Advance(length);
        await response.BodyWriter.FlushAsync(); // a client that left is Kestrel's to handle
    }

    // The ProblemDetails writer writes JSON when the request has no Accept header or accepts JSON; for any other
    // Accept the result is executed as the endpoint would (the writer decides).
    static bool AcceptsAnyJson(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        return accept.Count == 0 || (accept.Count == 1 && accept[0] is "*/*" or "application/json" or "application/problem+json");
    }

    /// <summary>A body whose read failed in the shortcut: the endpoint meets the same failure.</summary>
    sealed class FailedBody(ExceptionDispatchInfo failure) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) { failure.Throw(); return 0; }
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) { failure.Throw(); return default; }
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) { failure.Throw(); return Task.FromResult(0); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public static class SoldOutShortcutRegistration
{
    /// <summary>The shortcut in front of the application's pipeline, and its prepared answers.</summary>
    public static IServiceCollection AddSoldOutShortcut(this IServiceCollection services) =>
        services.AddSingleton<SoldOutAnswers>().AddTransient<IStartupFilter, SoldOutShortcut.First>();
}
