using System.Globalization;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Infrastructure.Auth;

namespace WeChatMall.Api.Features.Operators;

public sealed record AuditPageDto(IReadOnlyList<AuditEntry> Items, string? NextCursor);

/// <summary>The audit log, newest first: a page at a time for the console, or all of it (filtered) as CSV.</summary>
public static class AuditEndpoints
{
    const int ExportMaxRows = 100_000;
    const int ExportChunk = 1_000;
    static readonly CsvWriterOptions Csv = CsvWriterOptions.Default with { NewLine = "\n", Injection = CsvInjection.Escape };

    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/audit").WithTags("Operators").RequireAdmin(AdminArea.Operators);
        g.MapGet("", List).WithName("AdminListAudit");
        g.MapGet("/export", Export).WithName("AdminExportAudit");
        return g;
    }

    /// <summary><c>operator</c>: an actor name (username, token name or "bootstrap key"); <c>action</c>: a substring.</summary>
    static async Task<Results<Ok<AuditPageDto>, ValidationProblem>> List(
        string? @operator, string? action, string? area, DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit,
        AuditStore store, CancellationToken ct)
    {
        long? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = ["Use the nextCursor of the previous page."] });
            before = id;
        }
        var size = Math.Clamp(limit ?? 50, 1, 200);
        var items = await store.ListAsync(new AuditFilter(Blank(@operator), Blank(action), Blank(area), from, to), before, size, ct);
        var next = items.Count == size ? items[^1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new AuditPageDto(items, next));
    }

    /// <summary>CSV of the filtered log, newest first, at most 100 000 rows; times UTC.</summary>
    static PushStreamHttpResult Export(
        string? @operator, string? action, string? area, DateTimeOffset? from, DateTimeOffset? to, AuditStore store, TimeProvider time, CancellationToken ct)
    {
        var filter = new AuditFilter(Blank(@operator), Blank(action), Blank(area), from, to);
        var name = "audit-" + time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + ".csv";
        return TypedResults.Stream(async body =>
        {
            await using var csv = CsvWriter.Create(body, Csv, leaveOpen: true);
            await csv.WriteRecordAsync(["id", "occurred_at", "actor_kind", "operator_id", "actor_name", "client_ip", "action", "area", "target", "status", "details"], ct);
            long? before = null;
            for (var written = 0; written < ExportMaxRows;)
            {
                var chunk = await store.ListAsync(filter, before, ExportChunk, ct);
                foreach (var e in chunk)
                {
                    await csv.WriteRecordAsync([
                        e.Id.ToString(CultureInfo.InvariantCulture), e.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                        e.ActorKind, e.OperatorId?.ToString(CultureInfo.InvariantCulture) ?? "", e.ActorName, e.ClientIp ?? "", e.Action, e.Area,
                        e.Target ?? "", e.Status.ToString(CultureInfo.InvariantCulture), e.Details ?? ""], ct);
                }
                written += chunk.Count;
                if (chunk.Count < ExportChunk) break;
                before = chunk[^1].Id;
            }
        }, "text/csv; charset=utf-8", name);
    }

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
