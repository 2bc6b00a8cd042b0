using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Catalog;

public sealed record ImportResult(int Products, int Skus, IReadOnlyList<long> ProductIds);

/// <summary>
/// Bulk import of products from CSV or an .xlsx workbook, one row per SKU; rows sharing a product_key make one product,
/// whose fields come from its first row. Every row is checked first; any error answers 400 with errors keyed
/// <c>rows[line].column</c> and nothing is written. Otherwise everything is inserted in one transaction.
/// </summary>
public static class ImportProducts
{
    const int MaxBytes = 5 * 1024 * 1024;
    static readonly string[] Required = ["product_key", "category_id", "title", "price_fen", "stock"];
    static readonly string[] Known = [.. Required, "subtitle", "images", "description", "on_shelf", "sort", "points_per_yuan", "flash_sale",
        "spec", "original_price_fen", "sku_code", "sku_sort"];

    // Field (as in CatalogErrors and AddValidation) -> CSV column.
    static readonly Dictionary<string, string> Columns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["categoryId"] = "category_id", ["title"] = "title", ["subtitle"] = "subtitle", ["images"] = "images",
        ["description"] = "description", ["sort"] = "sort", ["pointsPerYuan"] = "points_per_yuan", ["spec"] = "spec",
        ["priceFen"] = "price_fen", ["originalPriceFen"] = "original_price_fen", ["stock"] = "stock", ["code"] = "sku_code",
    };

    public static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> Handle(
        HttpRequest request, ProductStore store, CatalogCacheGeneration generation, TimeProvider time,
        IOptions<CatalogOptions> options, ILogger<ProductStore> logger, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes) return TooLarge();
        var errors = new CatalogErrors();
        var maxRows = options.Value.MaxImportRows;
        List<ImportRecord> records;
        try
        {
            // The header, the row cap and one more row: enough to tell that a file is over the cap.
            records = await ReadAsync(request, maxRows + 2, errors, ct);
        }
        catch (UploadTooLargeException)
        {
            return TooLarge();
        }

        var groups = errors.Any ? [] : GroupRows(records, maxRows, errors);
        if (groups.Count > 0)
        {
            foreach (var g in groups) await ValidateAsync(g, store, errors, ct);
            CatalogValidation.DuplicateCodes(groups.SelectMany(g => g.Product.Skus.Select((s, i) => (s.Code, $"rows[{g.Lines[i]}].sku_code"))), errors);
        }
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The file has errors; nothing was imported");
        IReadOnlyList<long> ids;
        try
        {
            ids = await store.CreateAsync(groups.Select(g => g.Product).ToList(), time.GetUtcNow().UtcDateTime, ct);
        }
        catch (MySqlException ex) when (ConstraintRace.Caught(ex))
        {
            return ConstraintRace.Problem();
        }
        await generation.BumpAsync();
        var skus = groups.Sum(g => g.Product.Skus.Count);
        Log.Imported(logger, ids.Count, skus);
        return TypedResults.Ok(new ImportResult(ids.Count, skus, ids));
    }

    static async Task<List<ImportRecord>> ReadAsync(HttpRequest request, int maxRecords, CatalogErrors errors, CancellationToken ct)
    {
        var body = new UploadLimitStream(request.Body, MaxBytes);
        if (!IsXlsx(request.ContentType)) return await ImportRecords.ReadCsvAsync(body, maxRecords, errors, ct);
        // A workbook is a zip, read from its end: it goes to a temporary file first, not to memory.
        await using var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None,
            64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await body.CopyToAsync(file, ct);
        file.Position = 0;
        try
        {
            return ImportRecords.ReadXlsx(file, maxRecords);
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or System.Xml.XmlException)
        {
            errors.Add("file", "Not a readable .xlsx workbook.");
            return [];
        }
    }

    static bool IsXlsx(string? contentType) =>
        contentType is not null && contentType.StartsWith(ImportRecords.XlsxContentType, StringComparison.OrdinalIgnoreCase);

    sealed record Group(int[] Lines, CreateProductRequest Product);

    static List<Group> GroupRows(IReadOnlyList<ImportRecord> records, int maxRows, CatalogErrors errors)
    {
        if (records.Count < 2) { errors.Add("header", "Expected a header line and at least one row."); return []; }
        if (records.Count - 1 > maxRows) { errors.Add("header", $"At most {maxRows} rows per import."); return []; }
        var header = records[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToList();
        foreach (var h in header.Where(h => !Known.Contains(h))) errors.Add("header", $"Unknown column '{h}'.");
        foreach (var r in Required.Where(r => !header.Contains(r))) errors.Add("header", $"Missing column '{r}'.");
        if (errors.Any) return [];

        var byKey = new Dictionary<string, (List<int> Lines, List<ImportRow> Rows)>();
        foreach (var record in records.Skip(1))
        {
            var row = new ImportRow(record, header, errors);
            if (record.Fields.Count != header.Count)
            {
                errors.Add($"rows[{record.Line}]", $"Expected {header.Count} fields, found {record.Fields.Count}.");
                continue;
            }
            var key = row.Text("product_key");
            if (key is null) { errors.Add($"rows[{record.Line}].product_key", "Required."); continue; }
            if (!byKey.TryGetValue(key, out var g)) byKey[key] = g = ([], []);
            g.Lines.Add(record.Line);
            g.Rows.Add(row);
        }
        return byKey.Values.Select(g => new Group([.. g.Lines], ToProduct(g.Rows, errors))).ToList();
    }

    static CreateProductRequest ToProduct(List<ImportRow> rows, CatalogErrors errors)
    {
        var first = rows[0];
        foreach (var other in rows.Skip(1))
            foreach (var column in new[] { "category_id", "title" })
                if (other.Text(column) is { } v && v != first.Text(column))
                    other.Error(column, $"Differs from the first row of product '{first.Text("product_key")}' (line {first.Line}).");
        return new CreateProductRequest
        {
            CategoryId = first.Long("category_id") ?? 0,
            Title = first.Text("title") ?? "",
            Subtitle = first.Text("subtitle"),
            Images = first.Text("images")?.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList() ?? [],
            Description = first.Text("description"),
            OnShelf = first.Bool("on_shelf") ?? false,
            FlashSale = first.Bool("flash_sale") ?? false,
            Sort = (int?)first.Long("sort") ?? 0,
            PointsPerYuan = (int?)first.Long("points_per_yuan"),
            Skus = rows.Select(r => new SkuRequest
            {
                Spec = r.Spec(),
                PriceFen = r.Long("price_fen") ?? 0,
                OriginalPriceFen = r.Long("original_price_fen"),
                Stock = (int?)r.Long("stock") ?? 0,
                Code = r.Text("sku_code"),
                Sort = (int?)r.Long("sku_sort") ?? 0,
            }).ToList(),
        };
    }

    static async Task ValidateAsync(Group g, ProductStore store, CatalogErrors errors, CancellationToken ct)
    {
        // A cell that did not parse already has its error: the default value it was given would only add noise.
        var unparsed = errors.Keys.ToHashSet();
        void Add(string field, string message)
        {
            var key = ToRowKey(g, field);
            if (!unparsed.Contains(key)) errors.Add(key, message);
        }
        foreach (var (field, message) in Annotations(g.Product, ""))
            if (field != "Skus") Add(field, message);
        for (var i = 0; i < g.Product.Skus.Count; i++)
            foreach (var (field, message) in Annotations(g.Product.Skus[i], $"Skus[{i}]."))
                Add(field, message);
        var more = await ManageProducts.ValidateAsync(g.Product, store, ct);
        foreach (var (field, messages) in more.ToDictionary())
            foreach (var m in messages) Add(field, m);
    }

    static IEnumerable<(string Field, string Message)> Annotations(object o, string prefix)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(o, new ValidationContext(o), results, validateAllProperties: true);
        return results.SelectMany(r => r.MemberNames.Select(m => (prefix + m, r.ErrorMessage ?? "Invalid.")));
    }

    /// <summary>"Skus[2].PriceFen" -> "rows[line of SKU 2].price_fen"; product fields -> the product's first row.</summary>
    static string ToRowKey(Group g, string field)
    {
        var line = g.Lines[0];
        if (field.StartsWith("Skus[", StringComparison.Ordinal))
        {
            var close = field.IndexOf(']');
            line = g.Lines[int.Parse(field.AsSpan(5, close - 5), CultureInfo.InvariantCulture)];
            field = field[(close + 1)..].TrimStart('.');
        }
        var name = field.Split('[', '.')[0];
        return $"rows[{line}].{(Columns.TryGetValue(name, out var column) ? column : name)}";
    }

    static ProblemHttpResult TooLarge() =>
        Problems.Of(StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE", $"The file is larger than {MaxBytes / 1024 / 1024} MB");
}

static partial class Log
{
    [LoggerMessage(8020, LogLevel.Information, "Catalog import: {Products} product(s), {Skus} SKU(s)")]
    public static partial void Imported(ILogger logger, int products, int skus);
}
