using System.Globalization;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>One data row of an import file, read by column name; unparsable cells are reported as rows[line].column.</summary>
sealed class ImportRow(ImportRecord record, List<string> header, CatalogErrors errors)
{
    public int Line => record.Line;

    public string? Text(string column)
    {
        var i = header.IndexOf(column);
        if (i < 0 || i >= record.Fields.Count) return null;
        var v = record.Fields[i].Trim();
        return v.Length == 0 ? null : v;
    }

    public void Error(string column, string message) => errors.Add($"rows[{Line}].{column}", message);

    public long? Long(string column)
    {
        if (Text(column) is not { } v) return null;
        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
        Error(column, $"'{v}' is not a whole number.");
        return null;
    }

    public bool? Bool(string column)
    {
        switch (Text(column)?.ToLowerInvariant())
        {
            case null: return null;
            case "1" or "true" or "yes": return true;
            case "0" or "false" or "no": return false;
            default: Error(column, "Expected true/false or 1/0."); return null;
        }
    }

    /// <summary>"colour=red;size=M" -> spec values in that order; empty for a single-SKU product.</summary>
    public List<SpecValueRequest> Spec()
    {
        var spec = new List<SpecValueRequest>();
        foreach (var part in (Text("spec") ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0 || eq == part.Length - 1) { Error("spec", $"'{part}' is not name=value."); continue; }
            spec.Add(new SpecValueRequest { Name = part[..eq].Trim(), Value = part[(eq + 1)..].Trim() });
        }
        return spec;
    }
}
