using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeChatMall.Api.Tests.Features.Payments;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Infrastructure;

/// <summary>
/// Every operation of /openapi/v1.json called with hostile input: wrong types, missing, empty and invalid bodies,
/// 0 / −1 / 2^31−1 / 2^63−1 and 100 kB strings in every path and query parameter and body property, as the member or
/// the operator the operation asks for. Bad input is a 4xx; a 5xx (or no answer) is a failure. All failures are
/// collected and reported in one message. Requests per operation are capped and run a few at a time.
/// </summary>
public sealed class HostileInputSweepTests
{
    const int MaxParameterRequestsPerOperation = 60;
    const int MaxBodyRequestsPerOperation = 120;
    const int Parallelism = 4;
    static readonly string Huge = new('x', 100 * 1024);
    static readonly string[] NumberValues = ["0", "-1", "2147483647", "9223372036854775807", "-9223372036854775808", "1e400", "abc", ""];
    static readonly string[] StringValues = ["", " ", Huge, "%00", "'\"", "🍵", "../../x", "2147483647"];

    SandboxHost sandbox = null!;
    ApiFactory api = null!;
    string memberToken = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        sandbox = await SandboxHost.StartAsync();
        api = await ApiFactory.StartAsync(PaymentsEnvironment.Settings(sandbox, "http://127.0.0.1:9"));
        // Two members: path parameters are "1" when not under test, so the sweep's member is never the one an admin
        // operation on member 1 merges, blocks or erases.
        await LoginAsync();
        memberToken = await LoginAsync();
    }

    async Task<string> LoginAsync()
    {
        var minted = await sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/codes", new { openId = "o_sweep_" + Guid.NewGuid().ToString("N")[..16] });
        var code = JsonDocument.Parse(await minted.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString();
        using var anonymous = api.CreateClient();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { code });
        return JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await api.DisposeAsync();
        await sandbox.DisposeAsync();
    }

    [Test]
    public async Task EveryOperation_WithHostileInput_NeverAnswers5xx()
    {
        using var client = api.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        var doc = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var operations = Operations(doc).ToList();
        // Logout ends the sweep's session, so it runs after everything else.
        var requests = operations.OrderBy(op => op.Path.EndsWith("/logout", StringComparison.Ordinal))
            .SelectMany(op => ParameterRequests(doc, op).Take(MaxParameterRequestsPerOperation)
                .Concat(BodyRequests(doc, op).Take(MaxBodyRequestsPerOperation))).ToList();
        var (last, first) = (requests.Where(r => r.Url.Contains("/logout")).ToList(), requests.Where(r => !r.Url.Contains("/logout")).ToList());
        var failures = new ConcurrentBag<string>();
        var sessionStillValid = false;

        await Parallel.ForEachAsync(first, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, SendAsync);
        using (var me = new HttpRequestMessage(HttpMethod.Get, "/api/me"))
        {
            me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", memberToken);
            sessionStillValid = (await client.SendAsync(me)).IsSuccessStatusCode;
        }
        await Parallel.ForEachAsync(last, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, SendAsync);

        Assert.Multiple(() =>
        {
            Assert.That(operations, Has.Count.GreaterThan(50), "the sweep found the operations");
            Assert.That(sessionStillValid, Is.True, "member operations were called signed in");
            Assert.That(failures, Is.Empty, $"{failures.Count} of {requests.Count} requests ({operations.Count} operations) failed:\n"
                + string.Join("\n", failures.Order()));
        });

        async ValueTask SendAsync(SweepRequest r, CancellationToken ct)
        {
            using var message = new HttpRequestMessage(new HttpMethod(r.Method), r.Url) { Content = r.Content() };
            if (r.Auth == "AdminKey") message.Headers.Add("X-Admin-Key", ApiFactory.AdminKey);
            if (r.Auth == "Member") message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", memberToken);
            try
            {
                using var response = await client.SendAsync(message, ct);
                var status = (int)response.StatusCode;
                if (status >= 500)
                    failures.Add($"{status} {r}: {Short(await response.Content.ReadAsStringAsync(ct))}");
                else if (status == 400 && !r.Url.StartsWith("/wechat/") && !r.Url.StartsWith("/pay/") && !await HasCodeAsync(response, ct))
                    failures.Add($"400 without a ProblemDetails code {r}: {Short(await response.Content.ReadAsStringAsync(ct))}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
            {
                failures.Add($"{ex.GetType().Name} {r}: {Short(ex.Message)}");
            }
        }
    }

    static async Task<bool> HasCodeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return false;
        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))?["code"] is JsonValue;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    sealed record Operation(string Method, string Path, JsonArray Parameters, JsonNode? Body, string? Auth);

    sealed record SweepRequest(string Method, string Url, Func<HttpContent?> Content, string Auth, string What)
    {
        public override string ToString() => $"{Method} {Short(Url, 160)} [{What}]";
    }

    static IEnumerable<Operation> Operations(JsonNode doc)
    {
        foreach (var (path, item) in doc["paths"]!.AsObject())
            foreach (var (method, op) in item!.AsObject())
            {
                if (op is not JsonObject operation || method == "parameters") continue;
                var auth = operation["security"]?.AsArray().SelectMany(s => s!.AsObject().Select(p => p.Key)).FirstOrDefault();
                var parameters = new JsonArray([.. (operation["parameters"]?.AsArray() ?? []).Select(p => Resolve(doc, p!).DeepClone())]);
                yield return new Operation(method.ToUpperInvariant(), path, parameters, operation["requestBody"], auth);
            }
    }

    /// <summary>What every request to one operation shares: its URL with path parameters filled in, its body, its auth.</summary>
    sealed class Target(JsonNode doc, Operation op)
    {
        public readonly List<JsonNode> PathParams = [.. op.Parameters.Where(p => (string?)p!["in"] == "path").Select(p => p!)];
        public readonly List<JsonNode> QueryParams = [.. op.Parameters.Where(p => (string?)p!["in"] == "query").Select(p => p!)];
        public readonly JsonNode? JsonSchema = op.Body?["content"]?["application/json"]?["schema"] is { } s ? Resolve(doc, s) : null;
        public readonly string? OtherMediaType = op.Body?["content"]?.AsObject().Select(c => c.Key).FirstOrDefault(k => k != "application/json");

        public string Url(string? pathName = null, string? pathValue = null, string query = "")
        {
            var url = op.Path;
            foreach (var p in PathParams)
            {
                var name = (string)p["name"]!;
                url = url.Replace("{" + name + "}", Uri.EscapeDataString(name == pathName ? pathValue! : "1"));
            }
            return url + query;
        }

        /// <summary>The body sent while parameters are under test: plausible, so the parameter is what gets checked.</summary>
        public Func<HttpContent?> PlausibleBody() => JsonSchema is not null ? Json(Sample(doc, JsonSchema, 0)?.ToJsonString() ?? "{}")
            : OtherMediaType is not null ? Text("a,b\n1,2\n", OtherMediaType) : () => null;

        public SweepRequest Request(string url, Func<HttpContent?> body, string what) => new(op.Method, url, body, op.Auth ?? "", what);
    }

    static IEnumerable<SweepRequest> ParameterRequests(JsonNode doc, Operation op)
    {
        var t = new Target(doc, op);
        var body = t.PlausibleBody();
        // Every path parameter: each hostile value.
        foreach (var p in t.PathParams)
            foreach (var v in Values(doc, p).Where(v => v.Length > 0))
                yield return t.Request(t.Url((string)p["name"]!, v), body, $"path {p["name"]}={Short(v, 24)}");
        // Every query parameter alone, then all of them at once.
        foreach (var p in t.QueryParams)
            foreach (var v in Values(doc, p))
                yield return t.Request(t.Url(query: $"?{p["name"]}={Uri.EscapeDataString(v)}"), body, $"query {p["name"]}={Short(v, 24)}");
        if (t.QueryParams.Count > 1)
            foreach (var v in new[] { "2147483647", "-1", "9223372036854775807" })
                yield return t.Request(t.Url(query: "?" + string.Join("&", t.QueryParams.Select(p => $"{p["name"]}={v}"))), body, $"all query={v}");
    }

    static IEnumerable<SweepRequest> BodyRequests(JsonNode doc, Operation op)
    {
        if (op.Body is null) yield break;
        var t = new Target(doc, op);
        var url = t.Url();
        yield return t.Request(url, () => null, "no body");
        foreach (var raw in new[] { "", "{", "null", "[]", "\"text\"", "123", "{\"a\":", Huge })
            yield return t.Request(url, Json(raw), $"body {Short(raw, 12)}");
        if (t.OtherMediaType is { } mediaType)
            foreach (var raw in new[] { "", "\0\0\0", Huge, "a,b\n" + new string(',', 5000) })
                yield return t.Request(url, Text(raw, mediaType), $"{mediaType} body {Short(raw, 12)}");
        // The body with one property at a time replaced by a hostile value (nested objects and array items included).
        if (t.JsonSchema is null || Sample(doc, t.JsonSchema, 0) is not { } sample) yield break;
        yield return t.Request(url, Json(sample.ToJsonString()), "plausible body");
        foreach (var (where, mutated) in Mutations(sample))
            yield return t.Request(url, Json(mutated), $"body {where}");
    }

    static IEnumerable<string> Values(JsonNode doc, JsonNode parameter)
    {
        var schema = parameter["schema"] is { } s ? Resolve(doc, s) : null;
        return TypeOf(schema) is "integer" or "number" ? NumberValues : [.. NumberValues, .. StringValues];
    }

    static readonly JsonNode?[] Hostile =
    [
        JsonValue.Create(long.MaxValue), JsonValue.Create(-1), JsonValue.Create(0), JsonValue.Create(int.MaxValue),
        JsonValue.Create(Huge), JsonValue.Create(""), JsonValue.Create(true), null, new JsonObject(), new JsonArray(),
    ];

    // In rounds, each round giving every property another hostile value, so the per-operation cap cuts values, not properties.
    static IEnumerable<(string Where, string Json)> Mutations(JsonNode sample)
    {
        var leaves = Leaves(sample, "$").ToList();
        for (var round = 0; round < Hostile.Length; round++)
            for (var i = 0; i < leaves.Count; i++)
            {
                var value = Hostile[(i + round) % Hostile.Length];
                var copy = sample.DeepClone();
                Replace(copy, leaves[i].Segments, value?.DeepClone());
                yield return ($"{leaves[i].Name}={Short(value?.ToJsonString() ?? "null", 16)}", copy.ToJsonString());
            }
    }

    sealed record Leaf(string Name, object[] Segments);

    static IEnumerable<Leaf> Leaves(JsonNode node, string name, params object[] segments)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    yield return new Leaf($"{name}.{k}", [.. segments, k]);
                    if (v is JsonObject or JsonArray)
                        foreach (var leaf in Leaves(v, $"{name}.{k}", [.. segments, k])) yield return leaf;
                }
                break;
            case JsonArray a when a.Count > 0:
                yield return new Leaf($"{name}[0]", [.. segments, 0]);
                if (a[0] is JsonObject or JsonArray)
                    foreach (var leaf in Leaves(a[0]!, $"{name}[0]", [.. segments, 0])) yield return leaf;
                break;
        }
    }

    static void Replace(JsonNode root, object[] segments, JsonNode? value)
    {
        var parent = root;
        foreach (var s in segments[..^1]) parent = s is string k ? parent[k]! : parent[(int)s]!;
        if (segments[^1] is string key) parent[key] = value;
        else parent.AsArray()[(int)segments[^1]] = value;
    }

    /// <summary>A plausible value for a schema: what a client following the document would send.</summary>
    static JsonNode? Sample(JsonNode doc, JsonNode schema, int depth)
    {
        schema = Resolve(doc, schema);
        if (depth > 4) return null;
        if (schema["enum"] is JsonArray { Count: > 0 } values) return values.FirstOrDefault(v => v is not null)?.DeepClone();
        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray { Count: > 0 } options)
            return Sample(doc, options.First(o => TypeOf(Resolve(doc, o!)) != "null")!, depth + 1);
        switch (TypeOf(schema))
        {
            case "object" or null when schema["properties"] is not null:
                var o = new JsonObject();
                foreach (var (k, v) in schema["properties"]?.AsObject() ?? [])
                    o[k] = Sample(doc, v!, depth + 1);
                return o;
            case "array":
                return schema["items"] is { } items ? new JsonArray(Sample(doc, items, depth + 1)) : new JsonArray();
            case "integer":
            case "number":
                return JsonValue.Create(1);
            case "boolean":
                return JsonValue.Create(false);
            case "string":
                return (string?)schema["format"] switch
                {
                    "date-time" => JsonValue.Create("2026-01-01T00:00:00Z"),
                    "date" => JsonValue.Create("2026-01-01"),
                    "uri" => JsonValue.Create("https://shop.example.com/x"),
                    _ => JsonValue.Create("text"),
                };
            case "object":
                return new JsonObject();
            default:
                return null;
        }
    }

    /// <summary>The schema's type; OpenAPI 3.1 allows a list (["null","string"], or ["integer","string"] for numbers).</summary>
    static string? TypeOf(JsonNode? schema) => schema?["type"] switch
    {
        JsonValue v => (string?)v,
        JsonArray a => a.Select(t => (string?)t).FirstOrDefault(t => t is "integer" or "number")
                       ?? a.Select(t => (string?)t).FirstOrDefault(t => t != "null"),
        _ => null,
    };

    static JsonNode Resolve(JsonNode doc, JsonNode node)
    {
        for (var i = 0; i < 10 && node["$ref"] is { } reference; i++)
        {
            var target = doc;
            foreach (var part in ((string)reference!).TrimStart('#', '/').Split('/')) target = target![part]!;
            node = target!;
        }
        return node;
    }

    static Func<HttpContent?> Json(string raw) => () => new StringContent(raw, Encoding.UTF8, "application/json");

    static Func<HttpContent?> Text(string raw, string mediaType) => () => new StringContent(raw, Encoding.UTF8, mediaType);

    static string Short(string s, int max = 300) => s.Length <= max ? s : s[..max] + $"…({s.Length} chars)";
}
