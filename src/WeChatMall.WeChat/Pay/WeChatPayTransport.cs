using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace WeChatMall.WeChat.Pay;

// Sends one API v3 call and turns the answer into a typed body or a WeChatPayException.
sealed class WeChatPayTransport(HttpClient http, WeChatPayVerifier verifier, ILogger logger)
{
    const string RequestIdHeader = "Request-ID";

    public async Task<T?> SendAsync<T>(HttpMethod method, Uri url, object? body, bool idempotent, CancellationToken ct)
        where T : class
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
            // Serialized once; the signing handler signs these exact bytes.
            request.Content = new StringContent(WeChatPayJson.Serialize(body), Encoding.UTF8, "application/json");
        if (idempotent)
            WeChatPayRetry.MarkIdempotent(request);

        using var response = await http.SendAsync(request, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        var requestId = response.Headers.TryGetValues(RequestIdHeader, out var ids) ? ids.FirstOrDefault() : null;
        var status = (int)response.StatusCode;

        if (!response.IsSuccessStatusCode)
        {
            var error = Error(status, bytes, requestId);
            Log.CallFailed(logger, method.Method, url.AbsolutePath, status, error.Code, requestId);
            throw error;
        }
        var verification = verifier.Verify(WeChatPayHeaders.From(response.Headers), bytes);
        if (verification != SignatureVerifyResult.Valid)
        {
            Log.ResponseRejected(logger, method.Method, url.AbsolutePath, verification, requestId);
            throw new WeChatPayResponseSignatureException(status, verification, requestId);
        }
        if (response.StatusCode == HttpStatusCode.NoContent || bytes.Length == 0 || typeof(T) == typeof(object))
            return null;
        try
        {
            return WeChatPayJson.Deserialize<T>(bytes)
                ?? throw new WeChatPayException(status, null, "WeChat Pay returned an empty body.", requestId);
        }
        catch (JsonException e)
        {
            throw new WeChatPayException(status, null, $"WeChat Pay returned unreadable JSON: {e.Message}", requestId);
        }
    }

    static WeChatPayException Error(int status, byte[] bytes, string? requestId)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            var code = root.TryGetProperty("code", out var c) ? c.GetString() : null;
            var message = root.TryGetProperty("message", out var m) ? m.GetString() : null;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetRawText() : null;
            return new WeChatPayException(status, code, message ?? $"WeChat Pay answered HTTP {status}.", requestId, detail);
        }
        catch (JsonException)
        {
            return new WeChatPayException(status, null, $"WeChat Pay answered HTTP {status}.", requestId);
        }
    }
}
