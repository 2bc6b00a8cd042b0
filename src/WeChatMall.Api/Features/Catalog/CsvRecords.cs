using System.Text;

namespace WeChatMall.Api.Features.Catalog;

public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// RFC 4180 reader: comma-separated, fields optionally in double quotes ("" inside quotes is one quote), quoted
/// fields may span lines. Blank lines are skipped. Each record carries the line it starts on, for error reports.
/// </summary>
public static class CsvRecords
{
    public static IReadOnlyList<CsvRecord> Parse(string text)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, start = 1, i = 0;
        bool quoted = false, any = false;
        if (text.Length > 0 && text[0] == '\uFEFF') i = 1;   // Excel writes a BOM
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else { if (c == '\n') line++; field.Append(c); }
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; any = true; break;
                case ',': fields.Add(field.ToString()); field.Clear(); any = true; break;
                case '\r': break;
                case '\n':
                    EndRecord();
                    line++;
                    start = line;
                    break;
                default: field.Append(c); any = true; break;
            }
        }
        EndRecord();
        return records;

        void EndRecord()
        {
            if (any) { fields.Add(field.ToString()); records.Add(new CsvRecord(start, fields.ToList())); }
            fields.Clear();
            field.Clear();
            any = false;
        }
    }
}
