using System.ComponentModel.DataAnnotations;
using WeChatMall.Sandbox.Recording;

namespace WeChatMall.Sandbox.Faults;

/// <summary>
/// POST /sandbox/faults body: the next <see cref="Count"/> calls of <see cref="Route"/> (a path such as
/// <c>/cgi-bin/token</c>) wait <see cref="DelayMs"/>, then answer errcode <see cref="Errcode"/> (HTTP 200, as WeChat
/// does) or HTTP <see cref="HttpStatus"/>. Delay alone lets the call through afterwards. <see cref="Skip"/> lets that
/// many calls through first (a failure in the middle of a sequence of calls).
/// </summary>
public sealed record FaultRequest(
    [property: Required] string? Route, [property: Range(1, 1000)] int Count = 1, int? Errcode = null,
    [property: Range(400, 599)] int? HttpStatus = null, [property: Range(0, 120_000)] int? DelayMs = null,
    [property: Range(0, 100_000)] int Skip = 0);

public sealed record ActiveFault(string Route, int Remaining, int? Errcode, int? HttpStatus, int? DelayMs, int Skip = 0);

/// <summary>Pending faults per route, consumed one per call. Thread-safe.</summary>
public sealed class FaultInjector
{
    readonly Lock _lock = new();
    readonly List<ActiveFault> _faults = [];

    public void Add(FaultRequest f)
    {
        lock (_lock) _faults.Add(new(Routes.Normalize(f.Route!), f.Count, f.Errcode, f.HttpStatus, f.DelayMs, f.Skip));
    }

    public ActiveFault? Take(string route)
    {
        lock (_lock)
        {
            var i = _faults.FindIndex(f => f.Route == route);
            if (i < 0) return null;
            var fault = _faults[i];
            if (fault.Skip > 0)
            {
                _faults[i] = fault with { Skip = fault.Skip - 1 };
                return null;
            }
            if (fault.Remaining <= 1) _faults.RemoveAt(i);
            else _faults[i] = fault with { Remaining = fault.Remaining - 1 };
            return fault;
        }
    }

    public IReadOnlyList<ActiveFault> List()
    {
        lock (_lock) return [.. _faults];
    }

    public void Clear()
    {
        lock (_lock) _faults.Clear();
    }
}

public sealed class FaultMiddleware(RequestDelegate next, FaultInjector faults)
{
    public const string AppliedKey = "sandbox.fault";

    public async Task InvokeAsync(HttpContext http)
    {
        if (!Routes.IsWeChatRoute(http.Request.Path) || faults.Take(Routes.Normalize(http.Request.Path.Value!)) is not { } fault)
        {
            await next(http);
            return;
        }
        if (fault.DelayMs is > 0) await Task.Delay(fault.DelayMs.Value, http.RequestAborted);
        var isPay = http.Request.Path.StartsWithSegments("/v3");
        if (fault.HttpStatus is { } status)
        {
            http.Items[AppliedKey] = $"http {status}";
            http.Response.StatusCode = status;
            object body = isPay
                ? new { code = status >= 500 ? "SYSTEM_ERROR" : "INVALID_REQUEST", message = "sandbox: injected fault" }
                : new { errcode = -1, errmsg = "sandbox: injected fault" };
            await http.Response.WriteAsJsonAsync(body);
            return;
        }
        if (fault.Errcode is { } errcode)
        {
            http.Items[AppliedKey] = $"errcode {errcode}";
            if (isPay) http.Response.StatusCode = 500;
            // WeChat's OA/mini-program APIs report errors as HTTP 200 with errcode; errmsg ends with a rid.
            await http.Response.WriteAsJsonAsync(new { errcode, errmsg = $"sandbox: injected fault rid: {Guid.NewGuid():N}" });
            return;
        }
        http.Items[AppliedKey] = $"delay {fault.DelayMs}ms";
        await next(http);
    }
}
