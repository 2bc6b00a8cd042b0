using System.Text;
using WeChatMall.Sandbox.Faults;

namespace WeChatMall.Sandbox.Recording;

/// <summary>One request the sandbox received on a WeChat or WeChat Pay route.</summary>
public sealed record RecordedCall(
    long Id, DateTimeOffset At, string Method, string Route, string Query, string Body, int Status, string? Fault);

/// <summary>Every call to a WeChat-facing route, in arrival order; tests assert on it. Thread-safe.</summary>
public sealed class CallRecorder
{
    readonly Lock _lock = new();
    readonly List<RecordedCall> _calls = [];
    long _nextId;

    public void Add(string method, string route, string query, string body, int status, string? fault, DateTimeOffset at)
    {
        lock (_lock) _calls.Add(new(++_nextId, at, method, route, query, body, status, fault));
    }

    public IReadOnlyList<RecordedCall> List(string? route)
    {
        lock (_lock) return [.. _calls.Where(c => route is null || c.Route == Routes.Normalize(route))];
    }

    /// <summary>Calls per answered status, without their bodies (a benchmark's hundred thousand calls).</summary>
    public IReadOnlyDictionary<int, int> StatusCounts(string route)
    {
        lock (_lock) return _calls.Where(c => c.Route == Routes.Normalize(route)).CountBy(c => c.Status).ToDictionary();
    }

    public void Clear()
    {
        lock (_lock) _calls.Clear();
    }
}

public static class Routes
{
    /// <summary>Routes are compared as paths without a trailing slash, e.g. <c>/cgi-bin/token</c>.</summary>
    public static string Normalize(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    /// <summary>Control routes and the follower page are not WeChat's, so they are neither recorded nor faulted.</summary>
    public static bool IsWeChatRoute(PathString path) =>
        path.StartsWithSegments("/cgi-bin") || path.StartsWithSegments("/sns") || path.StartsWithSegments("/wxa")
        || path.StartsWithSegments("/connect") || path.StartsWithSegments("/v3");
}

/// <summary>Records the call after the rest of the pipeline (faults included) has answered.</summary>
public sealed class CallRecordingMiddleware(RequestDelegate next, CallRecorder recorder, TimeProvider time)
{
    const int MaxBodyChars = 64 * 1024;

    public async Task InvokeAsync(HttpContext http)
    {
        if (!Routes.IsWeChatRoute(http.Request.Path))
        {
            await next(http);
            return;
        }
        http.Request.EnableBuffering();
        string body;
        using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8, leaveOpen: true))
            body = await reader.ReadToEndAsync(http.RequestAborted);
        http.Request.Body.Position = 0;
        var at = time.GetUtcNow();
        try
        {
            await next(http);
        }
        finally
        {
            recorder.Add(http.Request.Method, Routes.Normalize(http.Request.Path.Value!), http.Request.QueryString.Value ?? "",
                body.Length > MaxBodyChars ? body[..MaxBodyChars] : body, http.Response.StatusCode,
                http.Items.TryGetValue(FaultMiddleware.AppliedKey, out var f) ? f as string : null, at);
        }
    }
}
