using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Operators;

public sealed record TestOperator(long Id, string Username, string Password, string Role);

/// <summary>A browser-like client: a cookie jar, its own client address, and the CSRF token of its session.</summary>
public sealed class ConsoleClient(ApiFactory api, string clientIp) : IDisposable
{
    readonly CookieContainer cookies = new();
    HttpClient? http;

    public HttpClient Http => http ??= Create();

    public string? CsrfToken { get; set; }

    HttpClient Create()
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, UseCookies = true }) { BaseAddress = api.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientIp);
        return client;
    }

    public Cookie? SessionCookie => cookies.GetAllCookies().FirstOrDefault(c => c.Name == "wcm_admin");

    public Task<HttpResponseMessage> SignInAsync(string username, string password, string? totpCode = null) =>
        Remember(Http.PostAsJsonAsync("/admin/session", new { username, password, totpCode }));

    async Task<HttpResponseMessage> Remember(Task<HttpResponseMessage> call)
    {
        var response = await call;
        if (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            if (body.TryGetProperty("csrfToken", out var csrf)) CsrfToken = csrf.GetString();
        }
        return response;
    }

    /// <summary>A request as the console sends it: with the session's CSRF token on writes.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, bool withCsrf = true)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (withCsrf && CsrfToken is not null) request.Headers.Add("X-CSRF-Token", CsrfToken);
        return Http.SendAsync(request);
    }

    public void Dispose() => http?.Dispose();
}

public static class OperatorTestData
{
    static int counter;

    /// <summary>A client address no other test uses (TEST-NET-3 and friends), so per-IP lockouts stay apart.</summary>
    public static string NewClientIp()
    {
        var n = Interlocked.Increment(ref counter) + Random.Shared.Next(0, 1000) * 1000;
        return $"198.{18 + n / 65536 % 2}.{n / 256 % 256}.{n % 256}";
    }

    public static string NewUsername(string role) => $"{role}-{Guid.NewGuid():N}"[..30];

    /// <summary>Creates an operator through the bootstrap key, as a provisioning script would.</summary>
    public static async Task<TestOperator> CreateOperatorAsync(string role, ApiFactory? api = null)
    {
        api ??= OperatorsEnvironment.Api;
        var username = NewUsername(role);
        const string password = "correct horse battery";
        using var admin = api.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/admin/operators", new { username, displayName = "Test " + role, role, password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        return new TestOperator(id, username, password, role);
    }

    public static async Task<ConsoleClient> SignedInAsync(TestOperator op, ApiFactory? api = null)
    {
        var client = new ConsoleClient(api ?? OperatorsEnvironment.Api, NewClientIp());
        var response = await client.SignInAsync(op.Username, op.Password);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return client;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    public static async Task<string?> CodeAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0) return null;
        return JsonDocument.Parse(text).RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
    }
}
