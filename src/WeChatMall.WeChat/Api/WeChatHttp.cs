using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace WeChatMall.WeChat.Api;

// Sends one JSON call to api.weixin.qq.com (or its stand-in) and turns a non-zero errcode into an exception.
sealed class WeChatHttp(IHttpClientFactory factory, IOptions<WeChatOptions> options, TimeProvider time)
{
    public const string ApiClient = "WeChat.Api";
    public const string TokenClient = "WeChat.Token";

    static readonly JsonSerializerOptions Json = new()
    {
        // Chinese text stays readable instead of \u-escaped; WeChat accepts both.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public WeChatOptions Options => options.Value;

    public string Url(string path, IEnumerable<(string Key, string Value)> query)
    {
        var q = string.Join('&', query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        return $"{Options.ApiBaseUrl.TrimEnd('/')}/{path}{(q.Length > 0 ? "?" + q : "")}";
    }

    // Retries errcode -1 (system busy) with exponential backoff, a bounded number of times.
    public async Task<JsonElement> SendAsync(string client, HttpMethod method, string path, string url, object? body, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(client, method, path, url, body, ct);
            }
            catch (WeChatApiException e) when (e.Kind == WeChatErrorKind.SystemBusy && attempt < Options.BusyRetryCount)
            {
                await Task.Delay(Options.BusyRetryDelay * Math.Pow(2, attempt), time, ct);
            }
        }
    }

    async Task<JsonElement> SendOnceAsync(string client, HttpMethod method, string path, string url, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        using var response = await factory.CreateClient(client).SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        // Some endpoints answer text/plain: ignore Content-Type and parse the body as JSON.
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonElement root;
        try { root = JsonDocument.Parse(text).RootElement; }
        catch (JsonException) { throw new WeChatApiException(WeChatApiException.InvalidResponseCode, "response is not JSON", path); }
        if (root.ValueKind != JsonValueKind.Object)
            throw new WeChatApiException(WeChatApiException.InvalidResponseCode, "response is not a JSON object", path);
        var errcode = root.TryGetProperty("errcode", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0;
        if (errcode != 0)
            throw new WeChatApiException(errcode, root.TryGetProperty("errmsg", out var m) ? m.GetString() ?? "" : "", path) { Response = root.Clone() };
        return root;
    }
}
