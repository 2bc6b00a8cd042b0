using System.Collections.Concurrent;
using WeChatMall.Api.Features.Catalog;

namespace WeChatMall.Api.Features.Orders;

/// <summary>
/// The gate's sold-out refusal (<see cref="FlashSaleGate.SoldOut"/>) as bytes, made once per SKU and quantity by
/// running that very result through the app's ProblemDetails writer, so the sold-out shortcut writes exactly what the
/// endpoint writes without serializing a ProblemDetails per attempt. Only the request's traceId differs between two
/// answers: it is written between the template's two halves.
/// </summary>
public sealed class SoldOutAnswers(IServiceProvider services)
{
    /// <summary>Status, headers and the body around the traceId.</summary>
    public sealed record Template(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Head, byte[] Tail);

    // Stands for the traceId while the template is made; nothing else in the answer can contain it.
    const string TraceMark = "TRACEID5f0e1c7a9b3d";
    const int MaxTemplates = 4096;

    readonly ConcurrentDictionary<(long SkuId, int Quantity), Template> templates = new();

    /// <summary>The answer's template, or null when the writer's output is not the shape expected (then the caller writes the result itself).</summary>
    public async ValueTask<Template?> ForAsync(long skuId, int quantity)
    {
        if (templates.TryGetValue((skuId, quantity), out var known)) return known;
        var http = new DefaultHttpContext { RequestServices = services, TraceIdentifier = TraceMark };
        using var body = new MemoryStream();
        http.Response.Body = body;
        await FlashSaleGate.SoldOut(skuId, quantity).ExecuteAsync(http);
        var bytes = body.ToArray();
        var mark = System.Text.Encoding.UTF8.GetBytes("\"" + TraceMark + "\"");
        var at = bytes.AsSpan().IndexOf(mark);
        if (at < 0 || bytes.AsSpan(at + mark.Length).IndexOf(mark) >= 0 || http.Response.Headers.ContentLength is not null) return null;
        var headers = http.Response.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString())).ToList();
        var template = new Template(http.Response.StatusCode, headers, bytes[..(at + 1)], bytes[(at + mark.Length - 1)..]);
        if (templates.Count < MaxTemplates) templates[(skuId, quantity)] = template;
        return template;
    }

    /// <summary>True when <paramref name="traceId"/> needs no escaping in a JSON string (Kestrel's are letters, digits and ':').</summary>
    public static bool IsPlain(string traceId)
    {
        foreach (var c in traceId)
            if (!char.IsAsciiLetterOrDigit(c) && c is not (':' or '-' or '.' or '_' or '|')) return false;
        return traceId.Length > 0;
    }
}
