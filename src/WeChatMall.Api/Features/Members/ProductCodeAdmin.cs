using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Auth;

namespace WeChatMall.Api.Features.Members;

public sealed class CreateCodeBatchRequest
{
    public long? ProductId { get; init; }
    [Required, StringLength(128, MinimumLength = 1)] public string Name { get; init; } = "";
    [Range(1, 1_000_000)] public long Points { get; init; }
    [Range(1, 100_000)] public int Count { get; init; }
    public DateTime? ExpiresAt { get; init; }
}

public sealed record CodeBatchDto
{
    public long Id { get; init; }
    public long? ProductId { get; init; }
    public string Name { get; init; } = "";
    public long Points { get; init; }
    public int Total { get; init; }
    public int Claimed { get; init; }
    public DateTime? ExpiresAt { get; init; }
    public DateTime? DisabledAt { get; init; }
    public DateTime CreatedAt { get; init; }
}

public sealed record PrintableCodeDto(string Code, string? Url);
public sealed record CodeBatchCreatedDto(CodeBatchDto Batch, IReadOnlyList<PrintableCodeDto> Codes);

/// <summary>
/// The merchant's code batches. Generation returns the plain codes exactly once (CSV by default, JSON when the
/// client asks for application/json); afterwards only their hashes exist, so no endpoint can list them again.
/// </summary>
public static class ProductCodeAdmin
{
    const int ChunkSize = 1000;

    public static IEndpointRouteBuilder MapProductCodeAdmin(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/product-codes/batches").WithTags("Members admin").RequireAdmin(AdminArea.ProductCodes);
        g.MapPost("/", Create).WithName("AdminCreateCodeBatch");
        g.MapGet("/", List).WithName("AdminListCodeBatches");
        g.MapGet("/{id:long}", Get).WithName("AdminGetCodeBatch");
        g.MapPost("/{id:long}/disable", Disable).WithName("AdminDisableCodeBatch");
        return app;
    }

    const string BatchSql = """
        SELECT b.id, b.product_id, b.name, b.points, b.code_count AS total,
               (SELECT COUNT(*) FROM product_codes c WHERE c.batch_id = b.id AND c.claimed_by IS NOT NULL) AS claimed,
               b.expires_at, b.disabled_at, b.created_at
        FROM product_code_batches b
        """;

    const string InsertBatchSql = """
        INSERT INTO product_code_batches (product_id, name, points, code_count, expires_at, created_at)
        VALUES (@ProductId, @Name, @Points, @Count, @ExpiresAt, @now);
        SELECT LAST_INSERT_ID();
        """;

    static async Task<Results<Ok<CodeBatchCreatedDto>, ContentHttpResult, ValidationProblem>> Create(
        CreateCodeBatchRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, IOptions<MemberOptions> options,
        ILogger<MemberStore> logger, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var expiresAt = request.ExpiresAt is { } e ? (e.Kind == DateTimeKind.Local ? e.ToUniversalTime() : DateTime.SpecifyKind(e, DateTimeKind.Utc)) : (DateTime?)null;
        if (expiresAt <= now)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ExpiresAt"] = ["expiresAt must be in the future."] });
        if (string.IsNullOrWhiteSpace(request.Name))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["Name"] = ["A name is required."] });

        var codes = new HashSet<string>(request.Count);
        while (codes.Count < request.Count) codes.Add(ProductCode.NewCode());

        await using var c = await db.OpenConnectionAsync(ct);
        if (request.ProductId is { } pid && await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM catalog_products WHERE id = @pid", new { pid }, cancellationToken: ct)) is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ProductId"] = ["No such product."] });

        await using var tx = await c.BeginTransactionAsync(ct);
        var batchId = await c.ExecuteScalarAsync<long>(new CommandDefinition(InsertBatchSql,
            new { request.ProductId, Name = request.Name.Trim(), request.Points, request.Count, ExpiresAt = expiresAt, now }, tx, cancellationToken: ct));
        // Multi-row inserts of up to ChunkSize hashes each: 100,000 codes are 100 statements, not 100,000.
        foreach (var chunk in codes.Chunk(ChunkSize))
        {
            var sql = new StringBuilder("INSERT INTO product_codes (batch_id, code_hash) VALUES ");
            var p = new DynamicParameters();
            p.Add("b", batchId);
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "" : ",").Append("(@b,@h").Append(i).Append(')');
                p.Add("h" + i, ProductCode.Hash(chunk[i]));
            }
            await c.ExecuteAsync(new CommandDefinition(sql.ToString(), p, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        Log.CodeBatchCreated(logger, batchId, request.Count, request.Points);

        var batch = (await FindAsync(db, batchId, ct))!;
        var baseUrl = options.Value.CodeBaseUrl;
        var printable = codes.Select(code => new PrintableCodeDto(ProductCode.Format(code),
            string.IsNullOrEmpty(baseUrl) ? null : $"{baseUrl}?c={code}")).ToList();
        http.Response.Headers.Location = $"/admin/product-codes/batches/{batchId}";
        http.Response.Headers["X-Batch-Id"] = batchId.ToString(CultureInfo.InvariantCulture);
        if (WantsJson(http.Request)) return TypedResults.Ok(new CodeBatchCreatedDto(batch, printable));

        var csv = new StringBuilder(printable.Count * 64);
        csv.Append(string.IsNullOrEmpty(baseUrl) ? "code\n" : "code,url\n");
        foreach (var row in printable)
            csv.Append(row.Code).Append(row.Url is null ? "" : "," + row.Url).Append('\n');
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"product-codes-{batchId}.csv\"";
        return TypedResults.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    static bool WantsJson(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        && !request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));

    static async Task<Ok<IReadOnlyList<CodeBatchDto>>> List(MySqlDataSource db, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<CodeBatchDto>(new CommandDefinition(BatchSql + " ORDER BY b.id DESC LIMIT 200", cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<CodeBatchDto>>(rows.AsList());
    }

    static async Task<Results<Ok<CodeBatchDto>, NotFound>> Get(long id, MySqlDataSource db, CancellationToken ct)
        => await FindAsync(db, id, ct) is { } b ? TypedResults.Ok(b) : TypedResults.NotFound();

    static async Task<Results<Ok<CodeBatchDto>, NotFound>> Disable(long id, MySqlDataSource db, TimeProvider time, ILogger<MemberStore> logger, CancellationToken ct)
    {
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            if (await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE product_code_batches SET disabled_at = @now WHERE id = @id AND disabled_at IS NULL",
                    new { id, now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct)) == 1)
                Log.CodeBatchDisabled(logger, id);
        }
        return await FindAsync(db, id, ct) is { } b ? TypedResults.Ok(b) : TypedResults.NotFound();
    }

    static async Task<CodeBatchDto?> FindAsync(MySqlDataSource db, long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<CodeBatchDto>(new CommandDefinition(BatchSql + " WHERE b.id = @id", new { id }, cancellationToken: ct));
    }
}

static partial class Log
{
    [LoggerMessage(7020, LogLevel.Information, "Product code batch {BatchId} created: {Count} codes of {Points} points")]
    public static partial void CodeBatchCreated(ILogger logger, long batchId, int count, long points);

    [LoggerMessage(7021, LogLevel.Information, "Product code batch {BatchId} disabled")]
    public static partial void CodeBatchDisabled(ILogger logger, long batchId);
}
