using System.Globalization;
using CsvHelper;
using MiniExcelLibs;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>One record of an import file: the line (CSV) or row (xlsx) it starts on, for error reports, and its cells.</summary>
public sealed record ImportRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// Reads an import file, header first, as text cells: CSV (RFC 4180, CsvHelper) streamed from the request, or the first
/// sheet of an .xlsx workbook (MiniExcel). Reading stops after <c>maxRecords</c>, so a file over the row cap is never
/// read to its end. Blank lines and rows are skipped.
/// </summary>
public static class ImportRecords
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    static readonly CsvReaderOptions Csv = CsvReaderOptions.Default with
    {
        Separator = ',',
        HasHeader = false,
        TrackLineNumbers = true,
        SkipEmptyLines = true,
        AllowLineBreaksInQuotes = true,
    };

    /// <summary>CSV in UTF-8 (a byte order mark, as Excel writes one, is honoured). Broken quoting is a row error.</summary>
    public static async Task<List<ImportRecord>> ReadCsvAsync(Stream body, int maxRecords, CatalogErrors errors, CancellationToken ct)
    {
        var records = new List<ImportRecord>();
        var options = Csv with { OnMalformedRecord = m => errors.Add($"rows[{m.LineNumber}]", $"Malformed quoting ({m.Reason}).") };
        await using var csv = CsvReader.Create(body, options, leaveOpen: true);
        while (records.Count < maxRecords && await csv.ReadAsync(ct))
        {
            var fields = new string[csv.FieldCount];
            for (var i = 0; i < fields.Length; i++) fields[i] = csv.GetString(i) ?? "";
            records.Add(new ImportRecord(checked((int)csv.LineNumber), fields));
        }
        return records;
    }

    /// <summary>
    /// The first sheet of a workbook (the stream must be seekable: a workbook is a zip). Numbers that are whole come
    /// out without a decimal point (3900, not 3900.0); cells after the last filled one are dropped and short rows padded
    /// to the header's width, since a spreadsheet does not distinguish a missing cell from an empty one.
    /// </summary>
    public static List<ImportRecord> ReadXlsx(Stream workbook, int maxRecords)
    {
        var records = new List<ImportRecord>();
        var line = 0;
        foreach (IDictionary<string, object?> row in workbook.Query(useHeaderRow: false, excelType: ExcelType.XLSX))
        {
            line++;
            var cells = row.Values.Select(CellText).ToList();
            while (cells.Count > 0 && cells[^1].Length == 0) cells.RemoveAt(cells.Count - 1);
            if (cells.Count == 0) continue;
            if (records.Count > 0)
                while (cells.Count < records[0].Fields.Count) cells.Add("");
            records.Add(new ImportRecord(line, cells));
            if (records.Count >= maxRecords) break;
        }
        return records;
    }

    static string CellText(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => ((long)d).ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
