using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Audience.Marketplace;

/// <summary>
/// POST /admin/marketplace/imports?platform=tmall|jd|other: a marketplace order export (CSV in UTF-8 or GBK, or an
/// .xlsx workbook), read with the catalog import's readers (CsvHelper, MiniExcel). Good rows are stored, bad rows are
/// reported with their line and a reason code; orders already imported are counted as duplicates and left alone.
/// </summary>
public static class ImportMarketplaceOrders
{
    static ImportMarketplaceOrders() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static async Task<Results<Ok<MarketplaceImportReport>, ProblemHttpResult>> Handle(
        string platform, string? fileName, HttpRequest request, MarketplaceOrderStore store, IOptions<MarketplaceOptions> options,
        TimeProvider time, ILogger<MarketplaceOrderStore> logger, CancellationToken ct)
    {
        platform = platform.Trim().ToLowerInvariant();
        if (!MarketplaceColumns.Platforms.Contains(platform))
            return Problems.BadRequest("MARKETPLACE_PLATFORM_UNKNOWN", $"Unknown platform '{platform}'",
                "Use one of: " + string.Join(", ", MarketplaceColumns.Platforms) + ".");
        var o = options.Value;
        if (request.ContentLength > o.MaxImportBytes) return TooLarge(o);
        List<ImportRecord> records;
        var readErrors = new CatalogErrors();
        try
        {
            records = await ReadAsync(request, o, readErrors, ct);
        }
        catch (UploadTooLargeException)
        {
            return TooLarge(o);
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or System.Xml.XmlException)
        {
            return Invalid("Not a readable .xlsx workbook.");
        }
        if (records.Count < 2) return Invalid("Expected a header line and at least one row.");
        if (records.Count - 1 > o.MaxImportRows) return Invalid($"At most {o.MaxImportRows} rows per import.");

        var columns = MarketplaceColumns.Locate(platform, records[0].Fields);
        var missing = MarketplaceColumns.Required.Where(f => !columns.ContainsKey(f)).ToList();
        if (missing.Count > 0)
            return Invalid("Missing column(s): " + string.Join("; ", missing.Select(f => MarketplaceColumns.HeaderNames(platform, f))) + ".");

        var malformed = readErrors.Keys.ToHashSet();
        var rows = new List<MarketplaceRow>();
        var rejected = new List<RejectedRow>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var repeated = 0;
        foreach (var record in records.Skip(1))
        {
            if (malformed.Contains($"rows[{record.Line}]")) { rejected.Add(new RejectedRow(record.Line, "malformed_row", null)); continue; }
            var (row, rejection) = MarketplaceRowParser.Parse(record.Line, record.Fields, columns);
            if (rejection is not null) { rejected.Add(rejection); continue; }
            // JD writes one row per item: the order's later rows add their titles, the amount is the order's.
            if (seen.TryGetValue(row!.OrderNo, out var index))
            {
                repeated++;
                if (row.Items is { } more && rows[index].Items is { } items && items.Length + more.Length < 510)
                    rows[index] = rows[index] with { Items = items + "; " + more };
                continue;
            }
            seen[row.OrderNo] = rows.Count;
            rows.Add(row);
        }
        var report = await store.ImportAsync(platform, fileName?.Trim() is { Length: > 0 and <= 255 } f ? f : null, records.Count - 1,
            rows, rejected, repeated, time.GetUtcNow().UtcDateTime, ct);
        Log.Imported(logger, report.ImportId, platform, report.Imported, report.Duplicates, report.Rejected);
        return TypedResults.Ok(report);
    }

    static async Task<List<ImportRecord>> ReadAsync(HttpRequest request, MarketplaceOptions o, CatalogErrors errors, CancellationToken ct)
    {
        // Buffered (the size is capped): a workbook is a zip read from its end, and a CSV may need re-decoding.
        var buffer = new MemoryStream();
        await new UploadLimitStream(request.Body, o.MaxImportBytes).CopyToAsync(buffer, ct);
        buffer.Position = 0;
        if (request.ContentType?.StartsWith(ImportRecords.XlsxContentType, StringComparison.OrdinalIgnoreCase) == true)
            return ImportRecords.ReadXlsx(buffer, o.MaxImportRows + 2);
        return await ImportRecords.ReadCsvAsync(AsUtf8(buffer), o.MaxImportRows + 2, errors, ct);
    }

    // Taobao's seller centre writes its CSV reports in GBK; anything that is not valid UTF-8 is read as GB18030 (a superset).
    static MemoryStream AsUtf8(MemoryStream csv)
    {
        var bytes = csv.ToArray();
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return csv;
        }
        catch (DecoderFallbackException)
        {
            return new MemoryStream(Encoding.UTF8.GetBytes(Encoding.GetEncoding(54936) /* GB18030 */.GetString(bytes)));
        }
    }

    static ProblemHttpResult Invalid(string detail) => Problems.BadRequest("MARKETPLACE_FILE_INVALID", "The file cannot be imported", detail);

    static ProblemHttpResult TooLarge(MarketplaceOptions o) => Problems.Of(StatusCodes.Status413PayloadTooLarge, "MARKETPLACE_FILE_TOO_LARGE",
        $"The file is larger than {o.MaxImportBytes / 1024 / 1024} MB");
}

static partial class Log
{
    [LoggerMessage(15601, LogLevel.Information, "Marketplace import {ImportId} ({Platform}): {Imported} new, {Duplicates} duplicate(s), {Rejected} rejected")]
    public static partial void Imported(ILogger logger, long importId, string platform, int imported, int duplicates, int rejected);

    [LoggerMessage(15602, LogLevel.Information, "Member {MemberId} claimed an imported {Platform} order")]
    public static partial void Claimed(ILogger logger, long memberId, string platform);

    [LoggerMessage(15603, LogLevel.Warning, "Member {MemberId} refused: too many failed marketplace order claims")]
    public static partial void ClaimThrottled(ILogger logger, long memberId);
}
