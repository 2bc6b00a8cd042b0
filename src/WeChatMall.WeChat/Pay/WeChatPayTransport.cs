using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

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

        using var response = await SendOrWrapAsync(request, ct);
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
        if (typeof(T) == typeof(object))
            return null;
        try
        {
            return bytes.Length > 0 && WeChatPayJson.Deserialize<T>(bytes) is { } value
                ? value
                : throw new WeChatPayException(status, null, "WeChat Pay returned an empty body.", requestId);
        }
        catch (JsonException e)
        {
            throw new WeChatPayException(status, null, $"WeChat Pay returned unreadable JSON: {e.Message}", requestId);
        }
    }

    // Network failures and timeouts (after retries) surface as WeChatPayException with HttpStatus 0, so callers
    // handle one exception type; the caller's own cancellation still surfaces as OperationCanceledException.
    async Task<HttpResponseMessage> SendOrWrapAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new WeChatPayException(0, null, $"WeChat Pay unreachable: {e.Message}", null);
        }
        catch (Exception e) when (e is TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new WeChatPayException(0, null, "WeChat Pay did not answer in time.", null);
        }
    }

    static WeChatPayException Error(int status, byte[] bytes, string? requestId)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new JsonException();
            var code = Text(root, "code");
            var message = Text(root, "message");
            var detail = root.TryGetProperty("detail", out var d) ? d.GetRawText() : null;
            return new WeChatPayException(status, code, message ?? $"WeChat Pay answered HTTP {status}.", requestId, detail);
        }
        catch (JsonException)
        {
            return new WeChatPayException(status, null, $"WeChat Pay answered HTTP {status}.", requestId);
        }
    }

    static string? Text(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
