using System.Text.Json;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Features.Members;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace WeChatMall.Api.Features.Orders;

/// <summary>
/// Answers an order attempt on a SKU this instance remembers sold out (<see cref="FlashSaleSoldOut"/>) with the gate's
/// own refusal, before the rate-limit window and the gate: a sold-out answer needs neither (docs/flash-sale.md). It
/// runs after authentication (an unknown or forged session is still 401) and only when the endpoint would have
/// reached the gate with that SKU first: a valid keyless order of lines whose lowest SKU id is remembered. Anything
/// else goes on unchanged, counted by the rate limit as before.
/// </summary>
public sealed class SoldOutShortcut(RequestDelegate next, FlashSaleSoldOut soldOut, IOptions<HttpJsonOptions> json,
    IOptions<OrderOptions> orderOptions)
{
    /// <summary>The endpoint metadata that opts a route in (only POST /api/orders).</summary>
    public sealed class Route
    {
        public static readonly Route Instance = new();
    }

    const int MaxBodyBytes = 16 * 1024;

    public async Task InvokeAsync(HttpContext http)
    {
        if (soldOut.IsEmpty || http.GetEndpoint()?.Metadata.GetMetadata<Route>() is null
            || http.Request.Headers.ContainsKey(PlaceOrder.IdempotencyHeader) || !http.Request.HasJsonContentType()
            || http.Request.ContentLength is not (> 0 and <= MaxBodyBytes) || (await CurrentMember.BindAsync(http)) is null)
        {
            await next(http);
            return;
        }
        // The body is small and its length known: read it whole and parse it from memory (no buffering stream, no
        // async parser state); an attempt that goes on gets the same bytes back as its body.
        var body = new byte[(int)http.Request.ContentLength.Value];
        var read = 0;
        for (int n; read < body.Length && (n = await http.Request.Body.ReadAsync(body.AsMemory(read), http.RequestAborted)) > 0;) read += n;
        PlaceOrderRequest? request = null;
        if (read == body.Length)
        {
            try
            {
                request = JsonSerializer.Deserialize<PlaceOrderRequest>(body, json.Value.SerializerOptions);
            }
            catch (JsonException)
            {
                // the endpoint's binding answers it, as without the shortcut
            }
        }
        if (request is { Lines: { Count: > 0 } lines, CartSkuIds: null or { Count: 0 } }
            && PlaceOrder.Validate(request, null, orderOptions.Value).Count == 0
            && lines.MinBy(l => l.SkuId) is { } first && soldOut.IsSoldOut(first.SkuId))
        {
            await FlashSaleGate.SoldOut(first.SkuId, first.Quantity).ExecuteAsync(http);
            return;
        }
        http.Request.Body = new MemoryStream(body, 0, read, writable: false);
        await next(http);
    }
}

public static class SoldOutShortcutEndpoints
{
    /// <summary>Before the rate limits, after authentication.</summary>
    public static IApplicationBuilder UseSoldOutShortcut(this IApplicationBuilder app) => app.UseMiddleware<SoldOutShortcut>();

    public static RouteHandlerBuilder AnswersSoldOutFromMemory(this RouteHandlerBuilder builder) => builder.WithMetadata(SoldOutShortcut.Route.Instance);
}
