using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using WeChatMall.Api.Infrastructure.Auth;

namespace WeChatMall.Api.Features.Operators;

/// <summary>
/// Records every admin write (a non-GET/HEAD request to a route with an <see cref="AdminArea"/>) after the handler ran,
/// also when it failed: the status it answered, 500 for an exception, 499 when the client went away. Refusals of the
/// authorization step (401/403) never reach this point, so they are not writes and are not recorded. Runs after the
/// forwarded-headers step, so the client IP is the one our proxies vouch for.
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, AuditStore store, TimeProvider time, ILogger<AuditMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint() is not RouteEndpoint endpoint || endpoint.Metadata.GetMetadata<AdminArea>() is not { } area
            || !AdminPermissions.IsWrite(http.Request.Method))
        {
            await next(http);
            return;
        }
        var note = new AuditNote();
        http.Features.Set(note);
        var body = await RequestSummaryAsync(http.Request);
        var status = 500;
        try
        {
            await next(http);
            status = http.Response.StatusCode;
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            status = 499;
            throw;
        }
        finally
        {
            await WriteAsync(http, endpoint, area, note, body, status);
        }
    }

    async Task WriteAsync(HttpContext http, RouteEndpoint endpoint, AdminArea area, AuditNote note, JsonNode? body, int status)
    {
        var action = note.Action ?? $"{http.Request.Method} /{endpoint.RoutePattern.RawText?.Trim('/')}";
        try
        {
            var actor = note.Actor ?? ActorOf(http.User);
            var details = new JsonObject { ["request"] = body };
            if (note.Before is not null) details["before"] = AuditRedaction.RedactObject(note.Before);
            if (note.After is not null) details["after"] = AuditRedaction.RedactObject(note.After);
            var target = http.Request.RouteValues.Count == 0 ? null
                : AuditRedaction.Bound(JsonSerializer.Serialize(http.Request.RouteValues.ToDictionary(v => v.Key, v => v.Value?.ToString())));
            await store.AppendAsync(new AuditEntry
            {
                OccurredAt = time.GetUtcNow().UtcDateTime,
                ActorKind = actor.Kind,
                OperatorId = actor.OperatorId,
                ActorName = actor.Name,
                ClientIp = http.Connection.RemoteIpAddress?.ToString(),
                Action = action.Length > 300 ? action[..300] : action,
                Area = area.Name,
                Target = target,
                Details = AuditRedaction.Bound(details.ToJsonString()),
                Status = status,
            }, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The change itself is done; losing its audit entry is an alarm for a person, not an error for the caller.
            Log.AuditWriteFailed(logger, ex, action, status);
        }
    }

    static AuditActor ActorOf(ClaimsPrincipal user) =>
        user.Kind() is { } kind
            ? new AuditActor(kind, user.OperatorId(), user.FindFirstValue(ClaimTypes.Name) ?? "")
            : new AuditActor("anonymous", null, "");

    /// <summary>The JSON body, redacted; other bodies (CSV, multipart) described by type and size only.</summary>
    static async Task<JsonNode?> RequestSummaryAsync(HttpRequest request)
    {
        if (request.ContentLength is null or 0 && !request.Headers.TransferEncoding.Any()) return null;
        var type = request.ContentType ?? "";
        var isJson = type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Contains("+json", StringComparison.OrdinalIgnoreCase);
        if (!isJson || request.ContentLength is not { } length || length > AuditRedaction.MaxBodyBytes)
            return JsonValue.Create($"({(type.Length == 0 ? "no content type" : type)}, {request.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"} bytes)");
        request.EnableBuffering();
        var buffer = new byte[length];
        await request.Body.ReadExactlyAsync(buffer, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return AuditRedaction.RedactJson(buffer);
    }
}
