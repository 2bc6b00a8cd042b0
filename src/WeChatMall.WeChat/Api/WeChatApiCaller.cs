using System.Text.Json;

namespace WeChatMall.WeChat.Api;

// A token-authenticated call: access_token in the query, one retry with a new token after 40001/40014/42001.
sealed class WeChatApiCaller(WeChatHttp http, AccessTokenProvider tokens)
{
    public WeChatHttp Http => http;

    public Task<JsonElement> PostAsync(string path, object body, CancellationToken ct)
        => SendAsync(HttpMethod.Post, path, [], body, ct);

    public Task<JsonElement> GetAsync(string path, CancellationToken ct, params (string, string)[] query)
        => SendAsync(HttpMethod.Get, path, query, null, ct);

    async Task<JsonElement> SendAsync(HttpMethod method, string path, (string, string)[] query, object? body, CancellationToken ct)
    {
        var token = await tokens.GetTokenAsync(ct);
        try
        {
            return await SendWithTokenAsync(method, path, query, body, token, ct);
        }
        catch (WeChatApiException e) when (e.Kind == WeChatErrorKind.InvalidAccessToken)
        {
            // Expire only the token that failed (another instance may have stored a newer one), then retry once.
            await tokens.InvalidateAsync(token, ct);
            var retryToken = await tokens.GetTokenAsync(ct);
            return await SendWithTokenAsync(method, path, query, body, retryToken, ct);
        }
    }

    Task<JsonElement> SendWithTokenAsync(HttpMethod method, string path, (string, string)[] query, object? body, string token, CancellationToken ct)
        => http.SendAsync(WeChatHttp.ApiClient, method, path, http.Url(path, query.Prepend(("access_token", token))), body, ct);
}
